/**
 * Per-key values loaded on first use and kept for `ttlMs`: data an admin changes rarely and every
 * request reads (rule sets, benefit parameters, working-day calendars). The process that makes a
 * change calls forget(); other instances see it once their entries expire. The promise is kept, so
 * concurrent misses load once; a failed load is dropped and the next call tries again.
 */
export function ttlCache<T>(ttlMs: number) {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return {
    get(key: string, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(key);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value;
      const value = load();
      const entry = { at: Date.now(), value };
      entries.set(key, entry);
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
    /** Forget one key, or everything. */
    forget(key?: string): void {
      if (key === undefined) entries.clear();
      else entries.delete(key);
    },
  };
}
