/**
 * The agency dashboard (机构运行看板, issue 5): request filters and the response. Every panel is a
 * few headline numbers (kpis) and tables; each table exports to CSV and XLSX under its key
 * (GET /api/dashboard/{key}.csv|.xlsx, same filters).
 */
import { z } from 'zod';
import { calendarDate } from './date-schema.ts';

const isoDate = calendarDate;

/** Longest period one request may ask about (natural days). */
export const DASHBOARD_MAX_DAYS = 3 * 366;

export const dashboardQuery = z.object({
  /** Only a system administrator may name another agency; others see their own. */
  agency: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/, '机构代码格式不正确')
    .optional(),
  /** The period (China dates, both ends included); default: the current month up to today. */
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** An office (窗口/大厅) id, or `none` for cases that came in through no office (online, mobile). */
  office: z
    .string()
    .regex(/^(none|[1-9]\d{0,14})$/, '窗口应为窗口编号或 none')
    .optional(),
});
export type DashboardQuery = z.infer<typeof dashboardQuery>;

export const DASH_COLUMN_TYPES = ['text', 'int', 'percent', 'decimal', 'date'] as const;
export const dashColumn = z.object({ key: z.string(), label: z.string(), type: z.enum(DASH_COLUMN_TYPES) });
export type DashColumn = z.infer<typeof dashColumn>;

export const dashCell = z.union([z.string(), z.number(), z.null()]);
export type DashCell = z.infer<typeof dashCell>;
export type DashRow = Record<string, DashCell>;

export const dashTable = z.object({
  key: z.string(),
  title: z.string(),
  note: z.string().optional(),
  columns: z.array(dashColumn),
  rows: z.array(z.record(z.string(), dashCell)),
  /** The 合计 row, when the table has one. */
  totals: z.record(z.string(), dashCell).nullable(),
});
export type DashTable = z.infer<typeof dashTable>;

export const dashKpi = z.object({
  key: z.string(),
  label: z.string(),
  value: z.number().nullable(),
  /** How to show the value: a count, a percentage (one decimal) or a decimal (two). */
  type: z.enum(['int', 'percent', 'decimal']),
  unit: z.string(),
  note: z.string().optional(),
});
export type DashKpi = z.infer<typeof dashKpi>;

export const dashPanel = z.object({
  key: z.string(),
  title: z.string(),
  /** What the numbers measure, exactly. */
  description: z.string(),
  kpis: z.array(dashKpi),
  tables: z.array(dashTable),
});
export type DashPanel = z.infer<typeof dashPanel>;

export const dashboardOut = z.object({
  agency: z.object({ code: z.string(), name: z.string(), regionCode: z.string() }),
  filters: z.object({
    from: z.string(),
    to: z.string(),
    office: z.string().nullable(),
    officeName: z.string().nullable(),
  }),
  /** The China business date the snapshot panels (backlog, overdue) are taken on. */
  asOf: z.string(),
  offices: z.array(z.object({ id: z.number(), name: z.string() })),
  /** Years the agency's working-day calendar covers, and what could not be counted. */
  /** `warning`: from 1 October until next year's holiday notice is entered, what an agency admin is asked to do. */
  calendar: z.object({ years: z.array(z.number()), notes: z.array(z.string()), warning: z.string().nullable(), warningYear: z.number().nullable() }),
  panels: z.array(dashPanel),
});
export type DashboardOut = z.infer<typeof dashboardOut>;
