/** Emergency-mode routes: thin handlers that validate, authorise, open the transaction and present. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agencyCodeParam } from '../../../common/api.ts';
import {
  adminEmergencyOut,
  decideIn,
  POST_AUDIT_LABELS,
  postAuditListOut,
  postAuditQuery,
  publicEmergencyOut,
  reviseIn,
  reviseOut,
  switchOffIn,
  switchOnIn,
  switchOut,
  type PeriodOut,
  type PublicEmergencyOut,
} from '../../../common/api-emergency.ts';
import { appointmentOnlyOffices, lastDay, measuresOf, PERIOD_STATUS_LABELS, periodStatus, type RegimeDoc } from '../../../common/emergency.ts';
import type { AppDeps } from '../../http/deps.ts';
import type { Ctx } from '../../http/actor.ts';
import { makeCtx, requireStaff } from '../../http/access.ts';
import { activeRegime, parseRegime } from './regime.ts';
import { catalogueOf, currentPeriod, decidePostAudit, periodRows, reviseRegime, switchOff, switchOn, type PeriodRow } from './service.ts';

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

export function emergencyRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.dbh.db;
  const ctxOf = (req: FastifyRequest) => makeCtx(req, db, deps.clock);
  const tx = <T>(req: FastifyRequest, fn: (ctx: Ctx) => Promise<T>) => db.transaction().execute((trx) => fn({ ...ctxOf(req), db: trx }));

  r.get(
    '/api/agencies/:code/emergency',
    {
      schema: {
        tags: ['catalog'],
        summary: '应急状态：生效中的应急预案（公告、不见面渠道、暂缓办理、自动通过、长处方、预约办理等措施）',
        params: agencyCodeParam,
        response: { 200: publicEmergencyOut },
      },
    },
    async (req): Promise<PublicEmergencyOut> => {
      const ctx = ctxOf(req);
      const agency = req.params.code;
      const a = await activeRegime(db, agency, ctx.today);
      if (!a) return { agency, active: false, period: null, regime: null, itemNames: {}, appointmentOnly: [] };
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
      };
    },
  );

  r.get(
    '/api/admin/emergency',
    { schema: { tags: ['管理'], summary: '本机构的应急预案、应急状态期间和已延长的有效期', response: { 200: adminEmergencyOut } } },
    async (req) => {
      const a = requireStaff(req, ['agency_admin', 'supervisor']);
      const ctx = ctxOf(req);
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
    },
  );

  r.post(
    '/api/admin/emergency/regimes/:regime/versions',
    {
      schema: {
        tags: ['管理'],
        summary: '修订应急预案（保存为新版本；生效中的应急状态随之采用新版本）',
        params: z.object({ regime: z.string().regex(/^[a-z0-9-]{1,60}$/) }),
        body: reviseIn,
        response: { 201: reviseOut },
      },
    },
    async (req, reply) => {
      requireStaff(req, ['agency_admin']);
      const out = await tx(req, (ctx) => reviseRegime(ctx, req.params.regime, req.body));
      return reply.status(201).send({ code: req.params.regime, ...out });
    },
  );

  r.post(
    '/api/admin/emergency/on',
    { schema: { tags: ['管理'], summary: '启用应急状态（开始日期，可选结束日期）', body: switchOnIn, response: { 201: switchOut } } },
    async (req, reply) => {
      requireStaff(req, ['agency_admin']);
      const out = await tx(req, async (ctx) => {
        const { periodId, extended } = await switchOn(ctx, req.body);
        const row = (await periodRows(ctx.db, ctx.actor.kind === 'user' ? ctx.actor.agencyCode! : '')).find((p) => Number(p.id) === periodId)!;
        return { period: presentPeriod(row, ctx.today), extended };
      });
      return reply.status(201).send(out);
    },
  );

  r.post(
    '/api/admin/emergency/off',
    { schema: { tags: ['管理'], summary: '关闭应急状态（已延长的有效期保持不变）', body: switchOffIn, response: { 200: switchOut } } },
    async (req) => {
      requireStaff(req, ['agency_admin']);
      return tx(req, async (ctx) => {
        const { periodId } = await switchOff(ctx, req.body);
        const row = (await periodRows(ctx.db, ctx.actor.kind === 'user' ? ctx.actor.agencyCode! : '')).find((p) => Number(p.id) === periodId)!;
        return { period: presentPeriod(row, ctx.today), extended: 0 };
      });
    },
  );

  r.get(
    '/api/staff/post-audits',
    {
      schema: { tags: ['后台'], summary: '事后审核队列（应急期间自动通过的办件）', querystring: postAuditQuery, response: { 200: postAuditListOut } },
    },
    async (req) => {
      const a = requireStaff(req, ['reviewer', 'rechecker', 'agency_admin', 'supervisor']);
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
      if (req.query.status !== 'all') q = q.where('pa.status', '=', req.query.status);
      const [rows, counts] = await Promise.all([
        q
          .orderBy('pa.id', req.query.status === 'pending' ? 'asc' : 'desc')
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
    },
  );

  r.post(
    '/api/staff/post-audits/:id/decision',
    {
      schema: {
        tags: ['后台'],
        summary: '事后审核：确认无误或标记存疑',
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: decideIn,
        response: { 200: z.object({ ok: z.boolean() }) },
      },
    },
    async (req) => {
      requireStaff(req, ['reviewer', 'rechecker', 'agency_admin']);
      await tx(req, (ctx) => decidePostAudit(ctx, req.params.id, req.body));
      return { ok: true };
    },
  );
}
