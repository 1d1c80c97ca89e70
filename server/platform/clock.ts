/** Time source. Business dates are in China Standard Time (UTC+8, no DST). */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** The calendar date in Asia/Shanghai as YYYY-MM-DD. */
export function chinaDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function fixedClock(iso: string): Clock {
  const t = new Date(iso);
  return { now: () => t };
}
