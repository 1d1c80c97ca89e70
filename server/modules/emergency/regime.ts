/**
 * The emergency regime in force, as other modules ask about it: cases (deferral, auto-pass),
 * the registry snapshot (contribution grace windows) and bookings (deferred items, appointment-only
 * halls). Read-only plain Kysely functions, db first; imports no other module, so any module may
 * import it.
 */
import type { Db } from '../../db/index.ts';
import { AppError } from '../../../common/errors.ts';
import type { CaseChannel } from '../../../common/api-cases.ts';
import {
  appointmentOnlyOffices,
  autoPassFor,
  deferralFor,
  measuresOf,
  parseRegime,
  type MeasureOf,
  type PeriodDates,
  type RegimeDoc,
} from '../../../common/emergency.ts';

export { parseRegime };

export interface ActiveRegime {
  periodId: number;
  regimeId: number;
  agencyCode: string;
  code: string;
  version: number;
  doc: RegimeDoc;
  dates: PeriodDates;
}

const periodCols = ['p.id', 'p.agency_code', 'p.regime_id', 'p.start_date', 'p.end_date', 'p.off_on', 'r.code', 'r.version', 'r.doc'] as const;

// Within one transaction the answer cannot change unless that transaction writes a period (which
// calls forgetRegimes): a submission asked up to six times (npm run bench, scenario 3).
const asked = new WeakMap<object, Map<string, Promise<ActiveRegime | null>>>();

/** Drop what this transaction remembered about regimes (after writing emergency_periods in it). */
export function forgetRegimes(db: Db): void {
  asked.delete(db);
}

/** The agency's regime in force on `date` (today, or a future day a visit is booked for), or null. */
export function activeRegime(db: Db, agencyCode: string, date: string): Promise<ActiveRegime | null> {
  if (!db.isTransaction) return loadActiveRegime(db, agencyCode, date);
  let m = asked.get(db);
  if (!m) asked.set(db, (m = new Map()));
  const key = `${agencyCode}|${date}`;
  let hit = m.get(key);
  if (!hit) m.set(key, (hit = loadActiveRegime(db, agencyCode, date)));
  return hit;
}

async function loadActiveRegime(db: Db, agencyCode: string, date: string): Promise<ActiveRegime | null> {
  const row = await db
    .selectFrom('emergency_periods as p')
    .innerJoin('emergency_regimes as r', 'r.id', 'p.regime_id')
    .select(periodCols)
    .where('p.agency_code', '=', agencyCode)
    .where('p.start_date', '<=', date)
    .where((eb) => eb.or([eb('p.end_date', 'is', null), eb('p.end_date', '>=', date)]))
    .where((eb) => eb.or([eb('p.off_on', 'is', null), eb('p.off_on', '>', date)]))
    .orderBy('p.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    periodId: Number(row.id),
    regimeId: Number(row.regime_id),
    agencyCode: row.agency_code,
    code: row.code,
    version: row.version,
    doc: parseRegime(Number(row.regime_id), row.doc),
    dates: { start: row.start_date, end: row.end_date, offOn: row.off_on },
  };
}

/**
 * What a booking must respect on `date` (for the appointments module): items whose new bookings
 * are refused, with the message, and halls that admit visitors by appointment only.
 */
export interface BookingRestrictions {
  regime: { periodId: number; title: string; noticeTitle: string } | null;
  deferredItems: { itemCode: string; message: string }[];
  appointmentOnlyOffices: { officeCode: string; minWorkingDaysAhead: number; wording: string }[];
}

export async function bookingRestrictions(db: Db, agencyCode: string, date: string): Promise<BookingRestrictions> {
  const r = await activeRegime(db, agencyCode, date);
  if (!r) return { regime: null, deferredItems: [], appointmentOnlyOffices: [] };
  const offices = (await db.selectFrom('offices').select('code').where('agency_code', '=', agencyCode).where('active', '=', true).execute()).map(
    (o) => o.code,
  );
  const wording = new Map(measuresOf(r.doc, 'appointment_only').map((m) => [m.id, m.wording]));
  return {
    regime: { periodId: r.periodId, title: r.doc.title, noticeTitle: r.doc.notice.title },
    // Bookings are refused whatever intake channel stays open: exceptions are for paper and window intake.
    deferredItems: measuresOf(r.doc, 'deferred').flatMap((m) => m.items.map((itemCode) => ({ itemCode, message: m.message }))),
    appointmentOnlyOffices: appointmentOnlyOffices(r.doc, offices).map((o) => ({
      officeCode: o.code,
      minWorkingDaysAhead: o.minWorkingDaysAhead,
      wording: wording.get(o.measureId) ?? '',
    })),
  };
}

/** Refuse a new application for a deferred item (暂缓办理) with the regime's own message. */
export async function assertNotDeferred(db: Db, agencyCode: string, itemCode: string, date: string, channel: CaseChannel): Promise<void> {
  const r = await activeRegime(db, agencyCode, date);
  const m = r ? deferralFor(r.doc, itemCode, channel) : null;
  if (m) throw new AppError('EMERGENCY_ITEM_DEFERRED', m.message, { measure: m.id, title: m.title, regime: r!.doc.title });
}

/** The 先自动通过 measure covering this item today, with the period it belongs to. */
export async function autoPassToday(
  db: Db,
  agencyCode: string,
  itemCode: string,
  date: string,
): Promise<{ periodId: number; measure: MeasureOf<'auto_pass'> } | null> {
  const r = await activeRegime(db, agencyCode, date);
  const m = r ? autoPassFor(r.doc, itemCode) : null;
  return m ? { periodId: r!.periodId, measure: m } : null;
}
