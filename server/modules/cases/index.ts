/**
 * cases' public door: what other modules and the composition root (app.ts, boot.ts) may use.
 * cases owns a case's life — its events, its clock, its notices and its transitions — and other
 * modules plug into it through `caseHooks` (hooks.ts) rather than being called from it.
 */
export { caseHooks, type EffectArgs, type EffectOutcome } from './hooks.ts';
// Reading and firing
export { act, guardFacts, loadVisible, createCaseEnv, type CaseEnv } from './service.ts';
export { rolesOn } from './policy.ts';
export { itemOfVersion, type CaseItem } from './items.ts';
export { caseById, caseByIdForUpdate, nextCaseNo, formatCaseNo, type CaseRow } from './repository.ts';
// Recording: a case's timeline and its clock
export { insertEvent as recordEvent, insertClockEvent as recordClockEvent } from './repository.ts';
export { resumeClock } from './sla.ts';
// Documents
export { issueResult, type NoticeEnv } from './notices.ts';
// Composition root
export { applicantCaseRoutes } from './applicant-routes.ts';
export { staffCaseRoutes } from './staff-routes.ts';
export { registerCaseJobs, sweepDeadlines } from './jobs.ts';
export { enqueueCaseRecompute } from './recompute.ts';
