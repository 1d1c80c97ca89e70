/** The public door of catalog: the agencies' published guides (items, offices, versions), their import and seeding. Other modules import only this file. */
export { listVersions, type ReadCtx } from './queries.ts';
export { currentVersionRow, inForce, itemVersionRows, officeRows } from './repository.ts';
export { catalogRoutes } from './routes.ts';
export { diffVersions, importDraft, parseCatalog, publish, seedFromDir, type SeedReport } from './service.ts';
