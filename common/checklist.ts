/**
 * 一次性告知: the personal material checklist. Given an item and the applicant's answers to
 * its questions, say which materials apply, which may apply (a condition not yet answered or
 * not machine-checkable) and which do not. Pure; used by the API and by the web page.
 */
import type { CatalogItem, Material } from './catalog.ts';

export type Answers = Record<string, string | undefined>;

export interface ChecklistResult {
  /** Materials the applicant must bring. */
  applies: Material[];
  /** Conditional materials whose condition the answers don't settle: "如适用". */
  maybe: Material[];
  /** Materials excluded by the answers. */
  excluded: Material[];
  /** Questions still unanswered that would settle some of `maybe`. */
  unanswered: string[];
}

export function materialApplies(m: Material, answers: Answers): 'yes' | 'no' | 'maybe' {
  if (!m.when) return m.required ? 'yes' : 'maybe';
  let unknown = false;
  for (const [qid, allowed] of Object.entries(m.when)) {
    const a = answers[qid];
    if (a === undefined || a === '') unknown = true;
    else if (!allowed.includes(a)) return 'no';
  }
  return unknown ? 'maybe' : 'yes';
}

export function checklist(item: Pick<CatalogItem, 'materials' | 'questions'>, answers: Answers): ChecklistResult {
  const res: ChecklistResult = { applies: [], maybe: [], excluded: [], unanswered: [] };
  const needed = new Set<string>();
  for (const m of item.materials) {
    const v = materialApplies(m, answers);
    if (v === 'yes') res.applies.push(m);
    else if (v === 'no') res.excluded.push(m);
    else {
      res.maybe.push(m);
      for (const qid of Object.keys(m.when ?? {})) if (!answers[qid]) needed.add(qid);
    }
  }
  res.unanswered = item.questions.map((q) => q.id).filter((id) => needed.has(id));
  return res;
}
