/**
 * Per-key values loaded on first use and kept for `ttlMs`: data an admin changes rarely and every
 * request reads (rule sets, benefit parameters, working-day calendars). The process that makes a
 * change calls forget(); other instances see it once their entries expire. The promise is kept, so
 * concurrent misses load once; a failed load is dropped and the next call tries again.
 *
 * With a `stamp` (a cheap read of what the value is built from, such as the rows' count and highest
 * id of an append-only table), an expired entry is revalidated: the stamp is read first and, when
 * it has not changed, the value already built is kept for another `ttlMs`. Loading again means
 * reading and parsing every row (5–30 ms for an agency's rules or a region's calendar, npm run
 * bench), once a minute per key on a request's path; a stamp is one small query. The stamp is read
 * before the rows, so a value is never older than its stamp.
 */
export function ttlCache<T>(ttlMs: number) {
  interface Entry {
    at: number;
    value: Promise<T>;
    stamp?: string;
  }
  const entries = new Map<string, Entry>();
  return {
    get(key: string, load: () => Promise<T>, stamp?: () => Promise<string>): Promise<T> {
      const hit = entries.get(key);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value;
      const entry: Entry = { at: Date.now(), value: Promise.resolve(undefined as T) };
      entry.value = (async () => {
        const s = stamp ? await stamp() : undefined;
        entry.stamp = s;
        if (hit && s !== undefined && s === hit.stamp) return hit.value; // unchanged since it was built
        return load();
      })();
      entries.set(key, entry);
      entry.value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return entry.value;
    },
    /** Forget one key, or everything: the next get loads afresh whatever the stamp says. */
    forget(key?: string): void {
      if (key === undefined) entries.clear();
      else entries.delete(key);
    },
  };
}
