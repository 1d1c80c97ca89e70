/** Request/response schemas of the working-day calendar API, and the calendar data-file / admin body schema. */
import { z } from 'zod';
import { calendarDate } from './date-schema.ts';

export const isoDate = calendarDate;
export const regionCode = z.string().regex(/^\d{6}$/, '地区代码应为6位数字（000000 表示全国）');
const yearNumber = z.coerce.number().int().min(1900).max(2200);

export const namedDay = z.object({ date: isoDate, name: z.string().trim().min(1, '名称不能为空').max(60) });

/** Body of the admin write (PUT /api/calendar/{region}/{year}): the whole year's lists. */
export const calendarYearIn = z.object({
  holidays: z.array(namedDay).max(366),
  workdays: z.array(namedDay).max(366),
  note: z.string().trim().max(500).optional(),
});
export type CalendarYearIn = z.infer<typeof calendarYearIn>;

/** A data/calendar/CN-<year>.yaml file. */
export const calendarFile = z.object({
  region: regionCode,
  year: z.number().int().min(1900).max(2200),
  source: z.string().min(1),
  holidays: z.array(namedDay),
  workdays: z.array(namedDay),
});
export type CalendarFile = z.infer<typeof calendarFile>;

export const workingDaysQuery = z.object({
  region: regionCode,
  from: isoDate,
  // Digits only: z.coerce would turn an empty `days=` into 0.
  days: z
    .string()
    .regex(/^\d{1,4}$/, '天数应为 0–1000 的整数')
    .transform(Number)
    .pipe(z.number().int().min(0).max(1000, '天数应为 0–1000 的整数')),
});
/** `provisional`: the answer rests on a year whose holiday notice is not yet published (预计). */
export const workingDaysOut = z.object({ date: z.string(), provisional: z.boolean() });

export const isWorkingDayQuery = z.object({ region: regionCode, date: isoDate });
export const isWorkingDayOut = z.object({ workingDay: z.boolean(), provisional: z.boolean() });

export const calendarStatusQuery = z.object({ region: regionCode });
/** A region's calendar today: which years are provisional, and the yearly reminder admins see from 1 October. */
export const calendarStatusOut = z.object({
  region: z.string(),
  lastPublishedYear: z.number().nullable(),
  provisionalYears: z.array(z.number()),
  lastYear: z.number().nullable(),
  nextYear: z.object({ year: z.number(), published: z.boolean(), covered: z.boolean() }),
  warning: z.string().nullable(),
  warningYear: z.number().nullable(),
  /** The rule provisional years follow. */
  basis: z.string(),
});
export type CalendarStatusOut = z.infer<typeof calendarStatusOut>;

export const calendarYearParams = z.object({ region: regionCode, year: yearNumber });

const dayOut = z.object({
  date: z.string(),
  weekday: z.number(),
  workingDay: z.boolean(),
  kind: z.enum(['workday', 'weekend', 'holiday', 'makeup']),
  name: z.string().optional(),
  provisional: z.literal(true).optional(),
});

export const calendarYearOut = z.object({
  region: z.string(),
  /** The region whose data is in force for this year (the region itself, its province, or 000000). */
  resolvedFrom: z.string(),
  year: z.number(),
  version: z.number(),
  source: z.string(),
  /** Computed from the statutory holidays (source provisional): every date of the year is 预计. */
  provisional: z.boolean(),
  note: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  holidays: z.array(z.object({ date: z.string(), name: z.string() })),
  workdays: z.array(z.object({ date: z.string(), name: z.string() })),
  workingDayCount: z.number(),
  months: z.array(z.object({ month: z.number(), firstWeekday: z.number(), workingDays: z.number(), days: z.array(dayOut) })),
});
export type CalendarYearOut = z.infer<typeof calendarYearOut>;

export const calendarVersionsOut = z.object({
  region: z.string(),
  year: z.number(),
  /** Own versions of this region, newest first; empty when the year is inherited. */
  versions: z.array(
    z.object({
      version: z.number(),
      source: z.string(),
      note: z.string().nullable(),
      createdBy: z.string().nullable(),
      createdAt: z.string(),
      holidayCount: z.number(),
      workdayCount: z.number(),
      current: z.boolean(),
    }),
  ),
  /** Where the year is in force from when this region has no own version (province or 000000), else null. */
  inheritedFrom: z.string().nullable(),
});
export type CalendarVersionsOut = z.infer<typeof calendarVersionsOut>;
