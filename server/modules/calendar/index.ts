/** The public door of calendar: working-day calendars per region (official and provisional years) and the recompute job when a year changes. Other modules import only this file. */
export { type CalendarChange, registerCalendarJobs } from './jobs.ts';
export { calendarRoutes } from './routes.ts';
export {
  calendarStatus,
  ensureProvisionalYears,
  ensureWorkingDayOrdinals,
  loadCalendar,
  loadCalendarFresh,
  seedCalendar,
  toAppError,
} from './service.ts';
