/** The public door of rules: eligibility rules and benefit parameters, their versions and evaluation; reads the registry through a plugged-in snapshot source. Other modules import only this file. */
export { ruleAdminRoutes } from './routes.ts';
export { computeBenefit, forgetBenefitParams, seedBenefitParams } from './benefits.ts';
export { evaluateFor, type Evaluation, forgetRules, readSnapshotsFrom, seedRules, type SnapshotSource } from './service.ts';
