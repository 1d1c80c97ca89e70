/** JSON with object keys sorted at every level (undefined members dropped, like JSON.stringify). */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v === undefined ? null : JSON.parse(JSON.stringify(v))));
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return v;
}
