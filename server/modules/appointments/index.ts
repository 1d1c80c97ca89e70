/** The public door of appointments: halls, slots and bookings; other modules add booking checks (emergency) and read visits (ratings). Other modules import only this file. */
export { registerAppointmentJobs } from './jobs.ts';
export { addBookingCheck, type BookingCheck } from './policy.ts';
export { appointmentRoutes } from './routes.ts';
export { seedAppointments } from './seed.ts';
export { moveBookingsOffClosedDays, rateableVisit } from './service.ts';
