/** The public door of rules: eligibility rules, their versions and evaluation, and the admin's versions of benefit parameters (computing a benefit is the benefits module's); reads the registry through a plugged-in snapshot source. Other modules import only this file. */
export { ruleAdminRoutes } from './routes.ts';
export { evaluateFor, type Evaluation, forgetRules, readSnapshotsFrom, seedRules, type SnapshotSource } from './service.ts';
