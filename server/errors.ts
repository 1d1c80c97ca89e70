/**
 * The one table from domain error classes to API errors. The pure modules in common/ throw their
 * own classes (they know nothing of HTTP); the error mapper in app.ts and any service that catches
 * one turn it into an AppError here, so a domain error never reaches the 500 mapper. A 500 is left
 * for real bugs. errors.test.ts walks every error class declared in common/ and server/ and fails
 * when one is missing from this table.
 */
import { BenefitError } from '../common/benefits.ts';
import { CalendarNotCovered, InvalidDate } from '../common/calendar.ts';
import { AppError, InvalidValue } from '../common/errors.ts';
import { isInputDataError } from './db/sql-state.ts';

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;
interface Mapping<E extends Error> {
  cls: ErrorClass<E>;
  map(e: E): AppError;
}
const entry = <E extends Error>(cls: ErrorClass<E>, map: (e: E) => AppError): Mapping<E> => ({ cls, map });

/** Most specific class first: the first class an error is an instance of decides. */
export const DOMAIN_ERRORS: readonly Mapping<never>[] = [
  entry(CalendarNotCovered, (e) =>
    e.lastYear !== null && e.year > e.lastYear
      ? new AppError('CALENDAR_NOT_COVERED', `${e.year} 年的放假安排尚未公布，超出了系统可以预计的范围（目前至 ${e.lastYear} 年），暂不能办理。`, {
          year: e.year,
          lastYear: e.lastYear,
        })
      : new AppError('CALENDAR_NOT_COVERED', `${e.year} 年的工作日历尚未录入，请联系管理员补录。`, { year: e.year, lastYear: e.lastYear }),
  ),
  entry(InvalidDate, (e) => new AppError('VALIDATION_FAILED', e.message, [{ path: '', message: e.message }])),
  entry(InvalidValue, (e) => new AppError('VALIDATION_FAILED', e.message, [{ path: '', message: e.message }])),
  entry(BenefitError, (e) => new AppError(e.code, e.message)),
] as unknown as Mapping<never>[];

const INPUT_DATA_MESSAGE = '提交的内容超出了允许的范围或格式（如过大的数字、不存在的日期），请检查后重试。';

/** The AppError for a domain error, or null when `e` is not one (an AppError is returned as it is). */
export function domainToAppError(e: unknown): AppError | null {
  if (e instanceof AppError) return e;
  for (const m of DOMAIN_ERRORS) if (e instanceof (m.cls as ErrorClass<Error>)) return (m.map as (x: unknown) => AppError)(e);
  // The database refused a value the request carried (out of range, bad text): the input's fault.
  if (isInputDataError(e)) return new AppError('VALIDATION_FAILED', INPUT_DATA_MESSAGE, [{ path: '', message: INPUT_DATA_MESSAGE }]);
  return null;
}
