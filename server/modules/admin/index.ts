/** The public door of admin: the admin endpoints that have not yet moved beside their domain. Other modules import only this file. */
export { adminRoutes } from './routes.ts';
