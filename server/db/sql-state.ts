/**
 * The SQLSTATE of an error the database raised (pg's DatabaseError and PGlite's carry the same
 * `code`, `severity` and `constraint`), so callers can tell a unique violation from a bug without
 * importing either driver.
 */
export interface DbError {
  code: string;
  severity?: string;
  constraint?: string;
}

export function dbError(e: unknown): DbError | null {
  if (typeof e !== 'object' || e === null) return null;
  const { code, severity } = e as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string' ? (e as DbError) : null;
}

/** A unique violation (23505), of `constraint` when given (the index's name). */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const d = dbError(e);
  return d !== null && d.code === '23505' && (constraint === undefined || d.constraint === constraint);
}

/**
 * Errors that only a value from the request can cause (class 22 data exception: invalid text,
 * date/time out of range, number out of range, NUL or bad encoding; 54000: a value too large for an
 * index row). Input schemas should refuse these first; this is the net under them.
 */
export function isInputDataError(e: unknown): boolean {
  const d = dbError(e);
  return d !== null && (d.code.startsWith('22') || d.code === '54000');
}
