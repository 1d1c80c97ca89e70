/** The public door of registry: the insurance registry (persons, contributions, units, institutions, lockouts) and the 转移接续 legs; plugs into rules and cases. Other modules import only this file. */
export { registryAdminRoutes } from './admin-routes.ts';
export { personRoutes } from './persons-routes.ts';
export { plugRegistry } from './plug.ts';
export { type Change, personByIdNo, recordHistory } from './repository.ts';
export { transferRoutes } from './routes.ts';
export { recomputeTransferDeadlines } from './transfer.ts';
