/** The public door of dashboard: the agency's performance panels and exports. Other modules import only this file. */
export { dashboardRoutes } from './routes.ts';
