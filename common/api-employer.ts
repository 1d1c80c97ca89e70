/** Employer portal request/response schemas. */
import { z } from 'zod';
import { calendarDate } from './date-schema.ts';

export const rosterReportOut = z.object({
  id: z.number(),
  fileName: z.string(),
  total: z.number(),
  valid: z.number(),
  errors: z.array(z.object({ line: z.number(), column: z.string(), message: z.string() })),
  status: z.string(),
  appliedRows: z.number().nullable(),
});
export type RosterReportOut = z.infer<typeof rosterReportOut>;
export const rosterApplyIn = z.object({ mode: z.enum(['all', 'valid']) });
export const employeeOneIn = z.object({
  action: z.enum(['add', 'remove']),
  idNo: z.string().trim().min(15).max(18),
  name: z.string().trim().min(1).max(50),
  date: calendarDate,
  base: z.number().positive().optional(),
});
export const employeesOut = z.object({
  unit: z.object({ name: z.string(), uscc: z.string(), agencyCode: z.string().nullable() }),
  items: z.array(z.object({ idNoMasked: z.string(), name: z.string(), start: z.string(), status: z.string(), end: z.string().nullable() })),
});
