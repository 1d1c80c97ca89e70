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

/** A clock tests and demos can move: set(iso) or advance(ms). */
export interface MutableClock extends Clock {
  set(iso: string | Date): void;
  advance(ms: number): void;
}
export function mutableClock(iso: string | Date): MutableClock {
  let t = new Date(iso).getTime();
  return {
    now: () => new Date(t),
    set: (v) => {
      t = new Date(v).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
