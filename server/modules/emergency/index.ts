/** The public door of emergency: emergency regimes (暂缓办理, 先自动通过, grace, appointment-only halls); plugs into cases and appointments. Other modules import only this file. */
export { registerEmergencyJobs } from './jobs.ts';
export { plugEmergency } from './plug.ts';
export { emergencyRoutes } from './routes.ts';
export { seedRegimes } from './service.ts';
