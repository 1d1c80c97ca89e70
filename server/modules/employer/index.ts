/** The public door of employer: a unit's batch declarations. Other modules import only this file. */
export { employerRoutes } from './routes.ts';
