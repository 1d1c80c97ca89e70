/** The public door of feedback: ratings, complaints and 整改 with their working-day deadlines. Other modules import only this file. */
export { registerFeedbackJobs } from './jobs.ts';
export { recomputeFeedbackDeadlines } from './recompute.ts';
export { feedbackRoutes } from './routes.ts';
