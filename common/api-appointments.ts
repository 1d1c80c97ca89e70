/** Request/response schemas of the hall-appointment API, and the data/appointments/<agency>.yaml file. */
import { z } from 'zod';
import { calendarDate } from './date-schema.ts';
import { APPOINTMENT_STATUSES, CLOSED_BY, isTimeOfDay } from './appointments.ts';

const isoDate = calendarDate;
const timeOfDay = z.string().refine(isTimeOfDay, { message: '时间应为 HH:MM（24小时制）' });
const businessCode = z.string().regex(/^[a-z0-9-]{1,40}$/, '业务类型代码只能含小写字母、数字和连字符');
const id = z.coerce.number().int().positive();

export const period = z.object({ from: timeOfDay, to: timeOfDay });

// ---- rules per agency ----

export const apptSettings = z.object({
  /** Booking opens this many working days ahead at the latest (Dalian: 至少提前1个工作日). */
  leadWorkingDays: z.number().int().min(0).max(30),
  /** How far ahead one may book, in working days. */
  horizonWorkingDays: z.number().int().min(1).max(120),
  /** Open bookings a person may hold at once (per agency). */
  maxOpenBookings: z.number().int().min(1).max(50),
  /** `noShowLimit` no-shows within `noShowWindowDays` days stop new bookings for `noShowBanDays` days. */
  noShowLimit: z.number().int().min(1).max(50),
  noShowWindowDays: z.number().int().min(1).max(3650),
  noShowBanDays: z.number().int().min(0).max(3650),
});
export type ApptSettings = z.infer<typeof apptSettings>;
export const SETTING_KEYS = Object.keys(apptSettings.shape) as (keyof ApptSettings)[];

// ---- the data file ----

export const apptFile = z.object({
  agency: z.string().min(1),
  settings: apptSettings.extend({
    /** Seed text the values come from. */
    source: z.string().optional(),
    /** Settings the seed does not state (示例). */
    example: z.array(z.enum(SETTING_KEYS as [keyof ApptSettings, ...(keyof ApptSettings)[]])).default([]),
  }),
  businessTypes: z
    .array(
      z.object({
        code: businessCode,
        name: z.string().min(1),
        items: z.array(z.string().min(1)).default([]),
        source: z.string().optional(),
        example: z.boolean().default(false),
      }),
    )
    .min(1),
  offices: z.array(
    z.object({
      office: z.string().min(1),
      hours: z.array(period).min(1),
      hoursExample: z.boolean().default(false),
      note: z.string().optional(),
      services: z
        .array(
          z.object({
            business: businessCode,
            slotMinutes: z.number().int().min(5).max(480),
            capacity: z.number().int().min(0).max(500),
            example: z.boolean().default(false),
          }),
        )
        .min(1),
    }),
  ),
});
export type ApptFile = z.infer<typeof apptFile>;

// ---- public: what can be booked ----

export const businessTypeOut = z.object({ code: z.string(), name: z.string(), items: z.array(z.string()), example: z.boolean() });
export const apptOfficeOut = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  phones: z.array(z.string()),
  hours: z.array(period),
  hoursExample: z.boolean(),
  note: z.string().nullable(),
  services: z.array(z.object({ business: z.string(), slotMinutes: z.number(), capacity: z.number(), example: z.boolean() })),
});
export const apptOptionsOut = z.object({
  agencyCode: z.string(),
  agencyName: z.string(),
  settings: apptSettings.extend({ example: z.array(z.string()), source: z.string().nullable() }),
  businessTypes: z.array(businessTypeOut),
  offices: z.array(apptOfficeOut),
  /** The bookable window as of today (null when the calendar does not reach it). */
  earliest: z.string().nullable(),
  latest: z.string().nullable(),
  calendarEnds: z.boolean(),
});
export type ApptOptionsOut = z.infer<typeof apptOptionsOut>;

export const slotsQuery = z.object({
  office: id,
  business: businessCode,
  from: isoDate.optional(),
  days: z.coerce.number().int().min(1).max(62).default(14),
});
export const slotOut = z.object({ start: z.string(), end: z.string(), capacity: z.number(), left: z.number(), bookable: z.boolean() });
export const slotDayOut = z.object({
  date: z.string(),
  weekday: z.number(),
  /** Whether the day can be booked now (open, within the window). */
  bookable: z.boolean(),
  /** Why not, in Chinese (rest day, closed, too soon, …). */
  reason: z.string().nullable(),
  /** The same as a code (common/appointments.ts CLOSED_BY): what the UI branches on. */
  closedBy: z.enum(CLOSED_BY).nullable(),
  kind: z.enum(['workday', 'weekend', 'holiday', 'makeup', 'uncovered']),
  dayName: z.string().nullable(),
  /** The day's year has no published holiday notice yet: open or closed as the statutory holidays say (预计). */
  provisional: z.boolean(),
  slots: z.array(slotOut),
});
export const slotsOut = z.object({
  officeId: z.number(),
  business: z.string(),
  earliest: z.string().nullable(),
  latest: z.string().nullable(),
  calendarEnds: z.boolean(),
  days: z.array(slotDayOut),
});
export type SlotsOut = z.infer<typeof slotsOut>;
export type SlotDayOut = z.infer<typeof slotDayOut>;

// ---- citizens ----

export const bookIn = z.object({
  officeId: z.number().int().positive(),
  business: businessCode,
  date: isoDate,
  start: timeOfDay,
  /** The catalogue item the visit is for (optional; from an item page). */
  itemCode: z.string().trim().min(1).max(40).optional(),
});
export type BookIn = z.infer<typeof bookIn>;
export const rescheduleIn = z.object({ date: isoDate, start: timeOfDay });
export const cancelIn = z.object({ reason: z.string().trim().max(200).optional() });

export const apptEventOut = z.object({ at: z.string(), kind: z.string(), label: z.string(), note: z.string().nullable() });
export const appointmentOut = z.object({
  id: z.number(),
  code: z.string(),
  status: z.enum(APPOINTMENT_STATUSES),
  statusLabel: z.string(),
  agencyCode: z.string(),
  agencyName: z.string(),
  office: z.object({ id: z.number(), code: z.string(), name: z.string(), address: z.string().nullable(), phones: z.array(z.string()) }),
  business: z.object({ code: z.string(), name: z.string() }),
  item: z.object({ code: z.string(), name: z.string().nullable() }).nullable(),
  date: z.string(),
  /** The date's year has no published holiday notice yet (预计): it may move when the notice is entered. */
  provisional: z.boolean(),
  start: z.string(),
  end: z.string(),
  createdAt: z.string(),
  checkedInAt: z.string().nullable(),
  servedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  noShowAt: z.string().nullable(),
  reschedules: z.number(),
  /** What the holder may do now. */
  canCancel: z.boolean(),
  canReschedule: z.boolean(),
  /** After check-in the visit can be rated (好差评). */
  rateable: z.boolean(),
  events: z.array(apptEventOut).optional(),
});
export type AppointmentOut = z.infer<typeof appointmentOut>;

/** Why a person may not book now (per agency). */
export const standingOut = z.object({
  agencyCode: z.string(),
  openBookings: z.number(),
  maxOpenBookings: z.number(),
  ban: z.object({ until: z.string(), noShows: z.array(z.string()), message: z.string() }).nullable(),
  canBook: z.boolean(),
  message: z.string().nullable(),
});
export type StandingOut = z.infer<typeof standingOut>;

export const myAppointmentsOut = z.object({ items: z.array(appointmentOut), standings: z.array(standingOut) });
export type MyAppointmentsOut = z.infer<typeof myAppointmentsOut>;

// ---- staff: the hall's day ----

/** Without `office`: the staff member's own office if it takes appointments, else the agency's first. */
export const hallDayQuery = z.object({ office: id.optional(), date: isoDate.optional() });
export const hallRowOut = z.object({
  id: z.number(),
  code: z.string(),
  status: z.enum(APPOINTMENT_STATUSES),
  statusLabel: z.string(),
  start: z.string(),
  end: z.string(),
  business: z.object({ code: z.string(), name: z.string() }),
  item: z.object({ code: z.string(), name: z.string().nullable() }).nullable(),
  personName: z.string(),
  mobileMasked: z.string().nullable(),
  checkedInAt: z.string().nullable(),
  checkedInBy: z.string().nullable(),
  servedAt: z.string().nullable(),
  servedBy: z.string().nullable(),
  /** Staff actions allowed now: check_in, serve, no_show. */
  actions: z.array(z.enum(['check_in', 'serve', 'no_show'])),
});
export type HallRowOut = z.infer<typeof hallRowOut>;
export const hallDayOut = z.object({
  office: z.object({ id: z.number(), name: z.string() }),
  offices: z.array(z.object({ id: z.number(), name: z.string() })),
  date: z.string(),
  today: z.string(),
  rows: z.array(hallRowOut),
  counts: z.record(z.string(), z.number()),
});
export type HallDayOut = z.infer<typeof hallDayOut>;
export const checkInIn = z.object({ code: z.string().trim().min(1, '请输入或扫描预约码').max(200), officeId: z.number().int().positive() });
export const hallActionOut = z.object({ row: hallRowOut, message: z.string() });
export type HallActionOut = z.infer<typeof hallActionOut>;

// ---- admin ----

export const adminOfficeOut = apptOfficeOut.extend({
  enabled: z.boolean(),
  configured: z.boolean(),
  kind: z.string(),
  closedDays: z.array(z.object({ date: z.string(), reason: z.string() })),
});
export const adminConfigOut = z.object({
  agencyCode: z.string(),
  settings: apptSettings.extend({ example: z.array(z.string()), source: z.string().nullable() }),
  businessTypes: z.array(businessTypeOut),
  offices: z.array(adminOfficeOut),
  today: z.string(),
});
export type AdminConfigOut = z.infer<typeof adminConfigOut>;
export type AdminOfficeOut = z.infer<typeof adminOfficeOut>;

export const officeConfigIn = z.object({
  enabled: z.boolean(),
  hours: z.array(period).min(1, '至少填写一个办公时段').max(6),
  services: z
    .array(
      z.object({
        business: businessCode,
        slotMinutes: z.number().int().min(5, '时段长度至少5分钟').max(480),
        capacity: z.number().int().min(0).max(500, '每个时段最多500个号'),
        active: z.boolean(),
      }),
    )
    .max(30),
});
export type OfficeConfigIn = z.infer<typeof officeConfigIn>;
export const closedDayIn = z.object({ date: isoDate, reason: z.string().trim().min(1, '请填写闭厅原因').max(100) });
export const closedDayOut = z.object({ date: z.string(), reason: z.string(), cancelled: z.number() });
