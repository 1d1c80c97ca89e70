/** The calendar page's constants, labels and shared types. */
import type { CalendarVersionsOut, CalendarYearIn, CalendarYearOut } from '../../../../common/api-calendar.ts';
import { todayChina } from '../../lib/format.ts';

export const NATIONAL = '000000';
export const FIRST_YEAR = 2020;
/** Years to choose from: up to a year past the provisional horizon (the server refuses nothing an admin enters). */
export const LAST_YEAR = Number(todayChina().slice(0, 4)) + 4;
export const YEARS = Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i);
export const REGION_RE = /^\d{6}$/;
/** Monday-first week. */
export const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

export type DayKind = CalendarYearOut['months'][number]['days'][number]['kind'];
/** Each kind has its own mark so the grid does not rely on colour alone. */
export const KINDS: Record<DayKind, { label: string; mark: string }> = {
  workday: { label: '工作日', mark: '' },
  weekend: { label: '周末', mark: '末' },
  holiday: { label: '法定节假日', mark: '假' },
  makeup: { label: '调休上班', mark: '班' },
};
const SOURCE_LABELS: Record<string, string> = {
  'chinese-days': '国家公布（随系统导入）',
  admin: '管理员录入',
  provisional: '预计（放假安排公布前按法定节假日推算）',
};
export const sourceLabel = (s: string) => SOURCE_LABELS[s] ?? s;

type Lists = { holidays: CalendarYearIn['holidays']; workdays: CalendarYearIn['workdays'] };
export type ListName = keyof Lists;
export const LIST_TITLES: Record<ListName, string> = { holidays: '节假日', workdays: '调休上班日' };

export const calUrl = (region: string, year: number, suffix = '') => `/api/calendar/${region}/${year}${suffix}`;

export interface Loaded {
  region: string;
  year: number;
  cal: CalendarYearOut | null;
  /** The 422 CALENDAR_NOT_COVERED message when the year has no data for this region. */
  notCovered: string | null;
  versions: CalendarVersionsOut | null;
  /** The history of the region the year is inherited from, when the region has no own version. */
  inheritedVersions: CalendarVersionsOut | null;
  versionsError: string;
}
