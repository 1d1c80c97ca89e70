/**
 * A provisional year: the working-day calendar of a year whose State Council holiday notice is not
 * yet published, computed from 《全国年节及纪念日放假办法》 as amended in 2024 (effective 2025):
 * 元旦 1 day (1-1); 春节 4 days (除夕 to 正月初三); 清明节 1 day (the 清明 solar term); 劳动节 2 days
 * (5-1, 5-2); 端午节 1 day (五月初五); 中秋节 1 day (八月十五); 国庆节 3 days (10-1 to 10-3).
 * Weekends are rest days as in any year. There are no 调休 make-up working days and no days moved
 * next to a weekend: those are what the yearly notice decides, so they are never guessed here.
 *
 * Lunar dates and the solar term come from chinese-days (its lunar tables cover 1900–2100), never
 * from a hand-typed table. Pure: the same year always gives the same days.
 */
import { createRequire } from 'node:module';
import { addNaturalDays } from '../../../common/calendar.ts';
import { InvalidValue } from '../../../common/errors.ts';
import type { CalendarDays } from './repository.ts';

const require = createRequire(import.meta.url);
const chineseDays = require('chinese-days') as {
  getSolarDateFromLunar(lunar: string): { date: string; leapMonthDate?: string };
  getSolarTerms(start: string, end: string): { date: string; term: string; name: string }[];
};

/** The first and last Gregorian years a provisional calendar can be computed for. */
export const PROVISIONAL_RANGE = { from: 1901, to: 2099 } as const;

/** The rule the provisional days follow, as printed beside them. */
export const PROVISIONAL_BASIS = '《全国年节及纪念日放假办法》（2024年修订）';

const pad = (n: number) => String(n).padStart(2, '0');

/** The Gregorian date of a lunar month/day in the lunar year that starts in Gregorian `year` (never the leap month). */
function lunar(year: number, month: number, day: number): string {
  return chineseDays.getSolarDateFromLunar(`${year}-${pad(month)}-${pad(day)}`).date;
}

/** The day of the 清明 solar term in `year` (4–6 April). */
function qingming(year: number): string {
  const term = chineseDays.getSolarTerms(`${year}-04-01`, `${year}-04-10`).find((t) => t.term === 'pure_brightness');
  if (!term) throw new Error(`chinese-days: no 清明 solar term in April ${year}`);
  return term.date;
}

/** The statutory holidays of `year` (weekends are not listed; a day two festivals share is named after both). */
export function provisionalYearDays(year: number): CalendarDays {
  if (!Number.isInteger(year) || year < PROVISIONAL_RANGE.from || year > PROVISIONAL_RANGE.to)
    throw new InvalidValue(`无法为 ${year} 年推算节假日（农历数据只覆盖 ${PROVISIONAL_RANGE.from}–${PROVISIONAL_RANGE.to} 年）`);
  const names = new Map<string, string[]>();
  const add = (date: string, name: string) => {
    // 春节 of the lunar year starting in `year` lies in `year`; 除夕 is the day before 初一 (腊月廿九 or 三十).
    if (!date.startsWith(`${year}-`)) throw new Error(`${name} ${date} 不在 ${year} 年内`);
    names.set(
      date,
      [...(names.get(date) ?? []), name].filter((n, i, all) => all.indexOf(n) === i),
    );
  };
  add(`${year}-01-01`, '元旦');
  const newYear = lunar(year, 1, 1);
  for (let i = -1; i <= 2; i++) add(addNaturalDays(newYear, i), '春节');
  add(qingming(year), '清明节');
  add(`${year}-05-01`, '劳动节');
  add(`${year}-05-02`, '劳动节');
  add(lunar(year, 5, 5), '端午节');
  add(lunar(year, 8, 15), '中秋节');
  for (const d of ['10-01', '10-02', '10-03']) add(`${year}-${d}`, '国庆节');
  const holidays = [...names].map(([date, n]) => ({ date, name: n.join('、') })).sort((a, b) => a.date.localeCompare(b.date));
  return { holidays, workdays: [] };
}
