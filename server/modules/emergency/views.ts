/**
 * What the emergency pages show: the public state of an agency, the admin page, the post-audit
 * queue, and a period as a switch left it. Reads and presenters; routes.ts only routes.
 */
import type { z } from 'zod';
import { POST_AUDIT_LABELS, type PeriodOut, type postAuditQuery, type PublicEmergencyOut } from '../../../common/api-emergency.ts';
import {
  appointmentOnlyOffices,
  deferralFor,
  lastDay,
  measuresOf,
  PERIOD_STATUS_LABELS,
  periodStatus,
  type RegimeDoc,
} from '../../../common/emergency.ts';
import type { Ctx, UserActor } from '../../http/actor.ts';
import { activeRegime, parseRegime } from './regime.ts';
import { catalogueOf, currentPeriod, periodRows, type PeriodRow } from './service.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function presentPeriod(p: PeriodRow, today: string): PeriodOut {
  const doc = parseRegime(Number(p.regime_id), p.doc);
  const dates = { start: p.start_date, end: p.end_date, offOn: p.off_on };
  const status = periodStatus(dates, today);
  return {
    id: Number(p.id),
    regimeCode: p.regime_code,
    version: p.version,
    title: doc.title,
    startDate: p.start_date,
    endDate: p.end_date,
    lastDay: lastDay(dates),
    status,
    statusLabel: PERIOD_STATUS_LABELS[status],
    note: p.note,
    onBy: p.on_by_label,
    onAt: iso(p.on_at)!,
    extendedAt: iso(p.extended_at),
    offOn: p.off_on,
    offAt: iso(p.off_at),
    offBy: p.off_by_label,
    offNote: p.off_note,
  };
}

function regimeView(doc: RegimeDoc, version: number) {
  return {
    code: doc.code,
    version,
    title: doc.title,
    source: doc.source,
    notice: doc.notice,
    measures: doc.measures,
    notes: doc.notes,
  };
}

/** An agency's emergency state as citizens see it. */
export async function publicEmergency(ctx: Ctx, agency: string): Promise<PublicEmergencyOut> {
  const db = ctx.db;
  const a = await activeRegime(db, agency, ctx.today);
  if (!a) return { agency, active: false, period: null, regime: null, itemNames: {}, appointmentOnly: [], deferredOnline: {} };
  const cat = await catalogueOf(db, agency, ctx.today);
  const listed = new Set(a.doc.measures.flatMap((m) => ('items' in m ? m.items : [])));
  const wording = new Map(measuresOf(a.doc, 'appointment_only').map((m) => [m.id, m.wording]));
  return {
    agency,
    active: true,
    period: { startDate: a.dates.start, endDate: a.dates.end },
    regime: regimeView(a.doc, a.version),
    itemNames: Object.fromEntries([...listed].filter((c) => cat.items.has(c)).map((c) => [c, cat.items.get(c)!])),
    appointmentOnly: appointmentOnlyOffices(a.doc, [...cat.offices.keys()]).map((o) => ({
      code: o.code,
      name: cat.offices.get(o.code) ?? o.code,
      minWorkingDaysAhead: o.minWorkingDaysAhead,
      wording: wording.get(o.measureId) ?? '',
    })),
    deferredOnline: Object.fromEntries(
      [...listed].flatMap((c) => {
        const m = deferralFor(a.doc, c, 'online');
        return m ? [[c, m.id]] : [];
      }),
    ),
  };
}

/** The admin page: regimes with their versions, periods, extensions, the catalogue's items and offices. */
export async function adminEmergency(ctx: Ctx, a: UserActor) {
  const db = ctx.db;
  const agency = a.agencyCode!;
  const [regimes, periods, cat, current] = await Promise.all([
    db.selectFrom('emergency_regimes').selectAll().where('agency_code', '=', agency).orderBy('code').orderBy('version', 'desc').execute(),
    periodRows(db, agency),
    catalogueOf(db, agency, ctx.today),
    currentPeriod(db, agency, ctx.today),
  ]);
  const extensions = periods.length
    ? await db
        .selectFrom('emergency_extensions')
        .selectAll()
        .where(
          'period_id',
          'in',
          periods.map((p) => Number(p.id)),
        )
        .orderBy('id', 'desc')
        .limit(500)
        .execute()
    : [];
  const byCode = new Map<string, typeof regimes>();
  for (const x of regimes) byCode.set(x.code, [...(byCode.get(x.code) ?? []), x]);
  return {
    agency,
    today: ctx.today,
    current: current ? presentPeriod(current, ctx.today) : null,
    regimes: [...byCode.values()].map((vs) => ({
      id: Number(vs[0]!.id),
      version: vs[0]!.version,
      doc: parseRegime(Number(vs[0]!.id), vs[0]!.doc),
      versions: vs.map((v) => ({
        id: Number(v.id),
        version: v.version,
        source: v.source,
        note: v.note,
        createdBy: v.created_by,
        createdAt: iso(v.created_at)!,
      })),
    })),
    periods: periods.map((p) => presentPeriod(p, ctx.today)),
    extensions: extensions.map((e) => ({
      periodId: Number(e.period_id),
      measureId: e.measure_id,
      target: e.target as 'institution_agreement',
      entityId: e.entity_id,
      label: e.label,
      beforeTo: e.before_to,
      afterTo: e.after_to,
      at: iso(e.at)!,
    })),
    items: [...cat.items].map(([code, name]) => ({ code, name })),
    offices: [...cat.offices].map(([code, name]) => ({ code, name })),
    can: { manage: a.roles.includes('agency_admin') },
  };
}

/** A period of the actor's agency as a switch (on/off) just left it. */
export async function periodAfter(ctx: Ctx, periodId: number): Promise<PeriodOut> {
  const row = (await periodRows(ctx.db, ctx.actor.kind === 'user' ? ctx.actor.agencyCode! : '')).find((p) => Number(p.id) === periodId)!;
  return presentPeriod(row, ctx.today);
}

export type PostAuditQuery = z.infer<typeof postAuditQuery>;

/** The 事后审核 queue of the actor's agency, with counts per status and whether the reader may decide. */
export async function postAuditList(ctx: Ctx, a: UserActor, query: PostAuditQuery) {
  const db = ctx.db;
  const agency = a.agencyCode!;
  let q = db
    .selectFrom('emergency_post_audits as pa')
    .innerJoin('cases as c', 'c.id', 'pa.case_id')
    .innerJoin('emergency_periods as p', 'p.id', 'pa.period_id')
    .innerJoin('emergency_regimes as r', 'r.id', 'p.regime_id')
    .select([
      'pa.id',
      'pa.case_id',
      'pa.status',
      'pa.created_at',
      'pa.decided_at',
      'pa.decided_by_label',
      'pa.note',
      'pa.measure_id',
      'p.regime_id',
      'r.doc',
      'c.case_no',
      'c.item_code',
      'c.item_name',
      'c.applicant_name',
      'c.completed_at',
    ])
    .where('pa.agency_code', '=', agency);
  if (query.status !== 'all') q = q.where('pa.status', '=', query.status);
  const [rows, counts] = await Promise.all([
    q
      .orderBy('pa.id', query.status === 'pending' ? 'asc' : 'desc')
      .limit(500)
      .execute(),
    db
      .selectFrom('emergency_post_audits')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('agency_code', '=', agency)
      .groupBy('status')
      .execute(),
  ]);
  return {
    items: rows.map((x) => {
      const doc = parseRegime(Number(x.regime_id), x.doc);
      const status = x.status as 'pending';
      return {
        id: Number(x.id),
        caseId: Number(x.case_id),
        caseNo: x.case_no,
        itemCode: x.item_code,
        itemName: x.item_name,
        applicantName: x.applicant_name,
        completedAt: iso(x.completed_at),
        createdAt: iso(x.created_at)!,
        measureTitle: doc.measures.find((m) => m.id === x.measure_id)?.title ?? x.measure_id,
        status,
        statusLabel: POST_AUDIT_LABELS[status],
        decidedAt: iso(x.decided_at),
        decidedBy: x.decided_by_label,
        note: x.note,
      };
    }),
    counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
    canDecide: a.roles.some((x) => x === 'reviewer' || x === 'rechecker' || x === 'agency_admin'),
  };
}
