/**
 * The one zod schema for a calendar date (YYYY-MM-DD) in requests and data files: the format and a
 * day that exists (2026-02-30 and 2026-13-45 are refused here, before any service, Date or SQL
 * sees them). The pure check is `isValidDate` in calendar.ts.
 */
import { z } from 'zod';
import { isValidDate } from './calendar.ts';

export const DATE_MESSAGE = '无效日期：应为实际存在的日期，格式 YYYY-MM-DD（如 2026-02-28）。';

export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: DATE_MESSAGE, abort: true })
  .refine(isValidDate, { message: DATE_MESSAGE });

/** A calendar date with a field's own message (e.g. '请填写有效的截止日期'). */
export const calendarDateWith = (message: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message, abort: true })
    .refine(isValidDate, { message });
