/** Small pure text helpers shared by server and web. */

/** Describe a time limit briefly for lists, e.g. "即时办结", "15个工作日". */
export function shortTimeLimit(t: { text: string; kind: string; value?: number | null; min?: number | null; unit?: string | null }): string {
  const unit = t.unit === 'working_day' ? '个工作日' : t.unit === 'natural_day' ? '个自然日' : t.unit === 'month' ? '个月' : '';
  switch (t.kind) {
    case 'immediate':
      return '即时办结';
    case 'working_days':
    case 'natural_days':
    case 'months':
      return t.min ? `${t.min}–${t.value}${unit}` : `${t.value}${unit}`;
    default:
      return t.text;
  }
}

/** Normalise a search query: trim, collapse whitespace, NFKC (full-width → half-width letters/digits). */
export function normaliseQuery(q: string): string {
  return q.normalize('NFKC').replace(/\s+/g, ' ').trim();
}
