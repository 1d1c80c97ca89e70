/**
 * Emergency mode use cases (ctx first; ctx.db is the route's or job's transaction): load the
 * example regimes, revise a regime (a new version), switch it on for a period and off again,
 * extend validities on switch-on, pass auto-pass items through the workflow and decide their
 * post-audit. Every staff change writes an audit entry in the same transaction.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../../common/errors.ts';
import {
  activationProblems,
  checkRegime,
  inForce,
  measuresOf,
  periodStatus,
  regimeDoc,
  regimeFile,
  VALIDITY_TARGET_LABELS,
  type MeasureOf,
  type RegimeDoc,
} from '../../../common/emergency.ts';
import { findTransition, GUARD_MESSAGES } from '../../../common/workflow.ts';
import { currentVersionRow, itemVersionRows } from '../catalog/index.ts';
import { actorLabel, type Ctx, type UserActor } from '../../http/actor.ts';
import { appendAudit, audit } from '../audit/index.ts';
import { queueMessage } from '../../platform/outbox.ts';
import { enqueue } from '../../platform/jobs.ts';
import { recordHistory, type Change } from '../registry/index.ts';
import { act, caseById, caseByIdForUpdate, guardFacts, itemOfVersion, recordEvent, type CaseEnv, type CaseRow } from '../cases/index.ts';
import { autoPassToday, forgetRegimes, parseRegime } from './regime.ts';

/** Lock key for one agency's switch-on/off (pg_advisory_xact_lock(key, hashtext(agency))). */
const EMERGENCY_LOCK_KEY = 7_302;

async function lockAgency(db: Db, agency: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${EMERGENCY_LOCK_KEY}, hashtext(${agency}))`.execute(db);
}

// ---------------------------------------------------------------------------------------------
// The agency's catalogue as the regime checks it

export async function catalogueOf(db: Db, agency: string, today: string): Promise<{ items: Map<string, string>; offices: Map<string, string> }> {
  const v = await currentVersionRow(db, agency, today);
  const items = new Map(v ? (await itemVersionRows(db, Number(v.id))).map((r) => [r.code, r.name] as const) : []);
  const offices = new Map(
    (
      await db.selectFrom('offices').select(['code', 'name']).where('agency_code', '=', agency).where('active', '=', true).orderBy('seq').execute()
    ).map((o) => [o.code, o.name] as const),
  );
  return { items, offices };
}

function invalid(issues: { path: PropertyKey[]; message: string }[]): AppError {
  const details = issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  return new AppError(
    'EMERGENCY_REGIME_INVALID',
    `应急预案有 ${details.length} 处需要修改：${details.map((d) => `${d.path ? `${d.path} ` : ''}${d.message}`).join('；')}`,
    details,
  );
}

// ---------------------------------------------------------------------------------------------
// Seeding: data/emergency/*.yaml, version 1 of each regime not yet in the database

export async function seedRegimes(db: Db, dataDir: string, today: string): Promise<{ inserted: number }> {
  const dir = path.join(dataDir, 'emergency');
  if (!existsSync(dir)) return { inserted: 0 };
  let inserted = 0;
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.yaml'))
    .sort()) {
    const file = regimeFile.parse(parse(readFileSync(path.join(dir, f), 'utf8')));
    for (const raw of file.regimes) {
      const res = regimeDoc.safeParse(raw);
      if (!res.success) throw new Error(`data/emergency/${f}: ${res.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      const doc = res.data;
      const agency = await db.selectFrom('agencies').select('code').where('code', '=', doc.agency).executeTakeFirst();
      if (!agency) continue; // the agency's catalogue is not loaded (SEED off or a partial DATA_DIR)
      const cat = await catalogueOf(db, doc.agency, today);
      const problems = checkRegime(doc, { items: new Set(cat.items.keys()), offices: new Set(cat.offices.keys()) });
      if (problems.length) throw new Error(`data/emergency/${f}: ${problems.join('; ')}`);
      const r = await db
        .insertInto('emergency_regimes')
        .values({
          agency_code: doc.agency,
          code: doc.code,
          version: 1,
          doc: JSON.stringify(doc),
          source: `data/emergency/${f}`,
          note: '示例预案（种子转录）',
          created_by: '数据文件',
        })
        .onConflict((oc) => oc.columns(['agency_code', 'code', 'version']).doNothing())
        .executeTakeFirst();
      inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
  }
  return { inserted };
}

// ---------------------------------------------------------------------------------------------
// Periods

export type PeriodRow = Awaited<ReturnType<typeof periodRows>>[number];

export function periodRows(db: Db, agency: string) {
  return db
    .selectFrom('emergency_periods as p')
    .innerJoin('emergency_regimes as r', 'r.id', 'p.regime_id')
    .selectAll('p')
    .select(['r.code as regime_code', 'r.version', 'r.doc'])
    .where('p.agency_code', '=', agency)
    .orderBy('p.id', 'desc')
    .execute();
}

const datesOf = (p: { start_date: string; end_date: string | null; off_on: string | null }) => ({
  start: p.start_date,
  end: p.end_date,
  offOn: p.off_on,
});

/** The period that is in force today or scheduled to start, if any (at most one: switchOn makes sure). */
export async function currentPeriod(db: Db, agency: string, today: string): Promise<PeriodRow | null> {
  const rows = await periodRows(db, agency);
  return rows.find((p) => ['active', 'scheduled'].includes(periodStatus(datesOf(p), today))) ?? null;
}

async function latestRegime(db: Db, agency: string, code: string) {
  const row = await db
    .selectFrom('emergency_regimes')
    .selectAll()
    .where('agency_code', '=', agency)
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new AppError('EMERGENCY_REGIME_NOT_FOUND');
  return { row, doc: parseRegime(Number(row.id), row.doc) };
}

function requireAdmin(ctx: Ctx): UserActor {
  const a = ctx.actor;
  if (a.kind !== 'user' || a.userKind !== 'staff' || !a.agencyCode || !a.roles.includes('agency_admin')) throw new AppError('FORBIDDEN');
  return a;
}

async function tellStaff(ctx: Ctx, agency: string, subject: string, body: string): Promise<void> {
  const staff = await ctx.db.selectFrom('users').select('id').where('kind', '=', 'staff').where('agency_code', '=', agency).execute();
  for (const u of staff)
    await queueMessage(ctx.db, { channel: 'inapp', recipient: String(u.id), userId: Number(u.id), subject, body, agencyCode: agency });
}

/** Switch a regime (its latest version) on from `startDate`, optionally until `endDate`. */
export async function switchOn(
  ctx: Ctx,
  input: { regimeCode: string; startDate: string; endDate?: string; note?: string },
): Promise<{ periodId: number; extended: number }> {
  const a = requireAdmin(ctx);
  const agency = a.agencyCode!;
  await lockAgency(ctx.db, agency);
  const { row, doc } = await latestRegime(ctx.db, agency, input.regimeCode);
  const end = input.endDate ?? null;
  const oldest = new Date(Date.parse(`${ctx.today}T00:00:00Z`) - 366 * 86400_000).toISOString().slice(0, 10);
  if (input.startDate < oldest)
    throw new AppError('VALIDATION_FAILED', '开始日期不能早于一年前。', [{ path: 'startDate', message: '开始日期不能早于一年前' }]);
  if (end !== null && end < ctx.today)
    throw new AppError('VALIDATION_FAILED', '结束日期不能早于今天。', [{ path: 'endDate', message: '结束日期不能早于今天' }]);
  // Details name what to fix: the dates, or the regime's measures (revise them before switching on).
  const problems = activationProblems(doc, input.startDate, end);
  const cat = await catalogueOf(ctx.db, agency, ctx.today);
  for (const message of checkRegime(doc, { items: new Set(cat.items.keys()), offices: new Set(cat.offices.keys()) }))
    problems.push({ path: 'measures', message });
  if (problems.length) throw new AppError('EMERGENCY_REGIME_INVALID', problems.map((p) => p.message).join(''), problems);
  // One regime at a time: nothing else in force, scheduled, or overlapping the new period.
  for (const p of await periodRows(ctx.db, agency)) {
    const d = datesOf(p);
    const st = periodStatus(d, ctx.today);
    if (st === 'active' || st === 'scheduled') throw new AppError('EMERGENCY_ALREADY_ON');
    // The last day the old period was in force (switched off on a day: the day before).
    const offLast = d.offOn === null ? null : new Date(Date.parse(`${d.offOn}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
    const lastOfOld = offLast !== null && (d.end === null || offLast < d.end) ? offLast : d.end;
    if (st !== 'cancelled' && lastOfOld !== null && lastOfOld >= input.startDate && (end === null || d.start <= end))
      throw new AppError('EMERGENCY_ALREADY_ON', `新的期间与 ${d.start} 起的应急状态重叠，请选择 ${lastOfOld} 之后的开始日期。`);
  }
  const period = await ctx.db
    .insertInto('emergency_periods')
    .values({
      agency_code: agency,
      regime_id: Number(row.id),
      start_date: input.startDate,
      end_date: end,
      note: input.note?.trim() || null,
      on_by: a.id,
      on_by_label: actorLabel(a),
      on_at: ctx.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  forgetRegimes(ctx.db);
  const periodId = Number(period.id);
  await audit(
    ctx,
    'emergency.on',
    { kind: 'emergency_period', id: String(periodId), agency },
    {
      regime: doc.code,
      version: row.version,
      startDate: input.startDate,
      endDate: end,
      note: input.note ?? null,
    },
  );
  let extended = 0;
  if (input.startDate <= ctx.today) extended = await applyExtensions(ctx, periodId);
  else
    await enqueue(ctx.db, {
      kind: 'emergency.start',
      payload: { periodId },
      runAt: new Date(`${input.startDate}T00:00:00+08:00`),
      dedupeKey: `emergency-start:${periodId}`,
    });
  await tellStaff(
    ctx,
    agency,
    `应急状态已启用：${doc.title}`,
    `${actorLabel(a)}启用了“${doc.title}”，自 ${input.startDate} 起${end ? `至 ${end}` : ''}。`,
  );
  return { periodId, extended };
}

/** Switch the regime off today (a scheduled one is cancelled). Extended validities stay as recorded. */
export async function switchOff(ctx: Ctx, input: { note: string }): Promise<{ periodId: number }> {
  const a = requireAdmin(ctx);
  const agency = a.agencyCode!;
  await lockAgency(ctx.db, agency);
  const p = await currentPeriod(ctx.db, agency, ctx.today);
  if (!p) throw new AppError('EMERGENCY_NOT_ON');
  await ctx.db
    .updateTable('emergency_periods')
    .set({ off_on: ctx.today, off_at: ctx.now, off_by: a.id, off_by_label: actorLabel(a), off_note: input.note.trim() })
    .where('id', '=', p.id)
    .execute();
  forgetRegimes(ctx.db);
  const doc = parseRegime(Number(p.regime_id), p.doc);
  await audit(ctx, 'emergency.off', { kind: 'emergency_period', id: String(p.id), agency }, { regime: doc.code, offOn: ctx.today, note: input.note });
  await tellStaff(ctx, agency, `应急状态已关闭：${doc.title}`, `${actorLabel(a)}于 ${ctx.today} 关闭了“${doc.title}”。${input.note.trim()}`);
  return { periodId: Number(p.id) };
}

/** Validity extensions of a period in force: validities ending from its start up to `until` move to `until`. Idempotent. */
export async function applyExtensions(ctx: Ctx, periodId: number): Promise<number> {
  const p = await ctx.db
    .selectFrom('emergency_periods as p')
    .innerJoin('emergency_regimes as r', 'r.id', 'p.regime_id')
    .selectAll('p')
    .select(['r.doc'])
    .where('p.id', '=', periodId)
    .executeTakeFirstOrThrow();
  if (!inForce(datesOf(p), ctx.today)) return 0;
  const doc = parseRegime(Number(p.regime_id), p.doc);
  let n = 0;
  for (const m of measuresOf(doc, 'extend_validity')) n += await extendOne(ctx, p.agency_code, Number(p.id), p.start_date, m);
  await ctx.db.updateTable('emergency_periods').set({ extended_at: ctx.now }).where('id', '=', periodId).execute();
  forgetRegimes(ctx.db);
  if (n > 0 || measuresOf(doc, 'extend_validity').length > 0)
    await audit(
      ctx,
      'emergency.extend',
      { kind: 'emergency_period', id: String(periodId), agency: p.agency_code },
      {
        extended: n,
        measures: measuresOf(doc, 'extend_validity').map((m) => ({ id: m.id, target: m.target, until: m.until })),
      },
    );
  return n;
}

async function extendOne(ctx: Ctx, agency: string, periodId: number, start: string, m: MeasureOf<'extend_validity'>): Promise<number> {
  const ch: Change = { at: ctx.now, effectiveFrom: ctx.today, actorLabel: `应急状态：${m.title}（${actorLabel(ctx.actor)}）` };
  type Hit = { id: string; personId: number | null; label: string; before: string };
  let hits: Hit[] = [];
  if (m.target === 'institution_agreement') {
    const rows = await ctx.db
      .selectFrom('institutions')
      .select(['code', 'name', 'agreement_to'])
      .where('agency_code', '=', agency)
      .where('status', '=', 'active')
      .where('agreement_to', '>=', start)
      .where('agreement_to', '<', m.until)
      .orderBy('code')
      .forUpdate()
      .execute();
    hits = rows.map((r) => ({ id: r.code, personId: null, label: `${r.name}（${r.code}）`, before: r.agreement_to! }));
    for (const h of hits) {
      await ctx.db.updateTable('institutions').set({ agreement_to: m.until }).where('code', '=', h.id).execute();
      await recordHistory(ctx.db, ch, 'institution', h.id, null, { agreementTo: h.before }, { agreementTo: m.until, emergencyPeriod: periodId });
    }
  } else {
    const table = m.target === 'remote_filing' ? 'remote_filings' : 'chronic_certs';
    const rows = await ctx.db
      .selectFrom(`${table} as t` as 'remote_filings as t')
      .innerJoin('persons as p', 'p.id', 't.person_id')
      .select(['t.id', 't.person_id', 't.valid_to', 'p.name'])
      .where('t.agency_code', '=', agency)
      .where('t.valid_to', '>=', start)
      .where('t.valid_to', '<', m.until)
      .orderBy('t.id')
      .execute();
    hits = rows.map((r) => ({
      id: String(r.id),
      personId: Number(r.person_id),
      label: `${r.name}（${VALIDITY_TARGET_LABELS[m.target]}）`,
      before: r.valid_to!,
    }));
    for (const h of hits) {
      await ctx.db
        .updateTable(table as 'remote_filings')
        .set({ valid_to: m.until })
        .where('id', '=', Number(h.id))
        .execute();
      await recordHistory(
        ctx.db,
        ch,
        m.target === 'remote_filing' ? 'remote_filing' : 'chronic_cert',
        h.id,
        h.personId,
        { validTo: h.before },
        { validTo: m.until, emergencyPeriod: periodId },
      );
    }
  }
  for (const h of hits)
    await ctx.db
      .insertInto('emergency_extensions')
      .values({
        period_id: periodId,
        measure_id: m.id,
        target: m.target,
        entity_id: h.id,
        label: h.label,
        before_to: h.before,
        after_to: m.until,
        at: ctx.now,
      })
      .onConflict((oc) => oc.columns(['period_id', 'target', 'entity_id', 'after_to']).doNothing())
      .execute();
  return hits.length;
}

/** Job: a period that starts later applies its extensions on its first day. */
export async function handlePeriodStart(ctx: Ctx, periodId: number): Promise<void> {
  const p = await ctx.db.selectFrom('emergency_periods').selectAll().where('id', '=', periodId).executeTakeFirst();
  if (!p || !inForce(datesOf(p), ctx.today)) return;
  await applyExtensions(ctx, periodId);
}

// ---------------------------------------------------------------------------------------------
// Revisions

/** Save an edited regime as its next version; a period using the regime follows it at once. */
export async function reviseRegime(
  ctx: Ctx,
  code: string,
  input: { baseVersion: number; note: string; doc: unknown },
): Promise<{ version: number; appliedToPeriod: number | null; extended: number }> {
  const a = requireAdmin(ctx);
  const agency = a.agencyCode!;
  await lockAgency(ctx.db, agency);
  const { row } = await latestRegime(ctx.db, agency, code);
  if (input.baseVersion !== row.version) throw new AppError('EMERGENCY_REGIME_STALE');
  const parsed = regimeDoc.safeParse(input.doc);
  if (!parsed.success) throw invalid(parsed.error.issues);
  const doc: RegimeDoc = parsed.data;
  if (doc.agency !== agency || doc.code !== code)
    throw invalid([{ path: ['code'], message: `预案的机构和编码须为 ${agency}/${code}，不能在修订中更改` }]);
  const cat = await catalogueOf(ctx.db, agency, ctx.today);
  const problems = checkRegime(doc, { items: new Set(cat.items.keys()), offices: new Set(cat.offices.keys()) });
  const current = await currentPeriod(ctx.db, agency, ctx.today);
  const follows = current && current.regime_code === code ? current : null;
  if (follows) problems.push(...activationProblems(doc, follows.start_date, follows.end_date).map((p) => p.message));
  if (problems.length) throw invalid(problems.map((message) => ({ path: [], message })));
  const next = await ctx.db
    .insertInto('emergency_regimes')
    .values({
      agency_code: agency,
      code,
      version: row.version + 1,
      doc: JSON.stringify(doc),
      source: 'admin',
      note: input.note,
      created_by: actorLabel(a),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  let extended = 0;
  if (follows) {
    await ctx.db
      .updateTable('emergency_periods')
      .set({ regime_id: Number(next.id) })
      .where('id', '=', follows.id)
      .execute();
    forgetRegimes(ctx.db);
    if (inForce(datesOf(follows), ctx.today)) extended = await applyExtensions(ctx, Number(follows.id));
  }
  await audit(
    ctx,
    'emergency.revise',
    { kind: 'emergency_regime', id: `${agency}/${code}@${next.version}`, agency },
    {
      from: row.version,
      to: next.version,
      note: input.note,
      period: follows ? Number(follows.id) : null,
      doc,
    },
  );
  return { version: next.version, appliedToPeriod: follows ? Number(follows.id) : null, extended };
}

// ---------------------------------------------------------------------------------------------
// Auto-pass (先自动通过) and the post-audit queue

const SYSTEM_LABEL = '应急状态自动通过';

/**
 * After a submission: if the item is 先自动通过 under the regime in force, accept and complete the
 * case through the workflow (auto_accept → auto_approve, with their notices, clock and registry
 * effect) and put it in the post-audit queue. When the ordinary acceptance checks fail, the case
 * stays in the queue for a clerk and the timeline says why. Returns whether it passed. `locked`: the
 * case row as this transaction already locked or wrote it (submission, registration).
 */
export async function autoPassIfDue(ctx: Ctx, env: CaseEnv, caseId: number, locked?: CaseRow): Promise<boolean> {
  const c = locked ?? (await caseByIdForUpdate(ctx.db, caseId));
  if (!c || c.status !== 'submitted') return false;
  const hit = await autoPassToday(ctx.db, c.agency_code, c.item_code, ctx.today);
  if (!hit) return false;
  const sys: Ctx = { ...ctx, actor: { kind: 'system', label: SYSTEM_LABEL } };
  const ci = await itemOfVersion(ctx.db, c.item_version_id);
  const { facts } = await guardFacts(sys, c, ci);
  const failing = findTransition('auto_accept')!.guards.filter((g) => !facts[g]);
  if (failing.length) {
    await recordEvent(ctx.db, {
      caseId: c.id,
      at: ctx.now,
      action: 'auto_pass_skipped',
      from: c.status,
      to: c.status,
      actorId: null,
      actorLabel: SYSTEM_LABEL,
      note: `本事项在应急期间先自动通过，但未通过受理核验，转人工受理：${failing.map((g) => GUARD_MESSAGES[g]).join('')}`,
      data: { guards: failing },
    });
    return false;
  }
  await act(sys, env, c.id, 'auto_accept', { note: `${hit.measure.title}：${hit.measure.wording}` });
  await act(sys, env, c.id, 'auto_approve', { note: '应急期间先自动通过，事后审核。' });
  await ctx.db
    .insertInto('emergency_post_audits')
    .values({ case_id: c.id, agency_code: c.agency_code, period_id: hit.periodId, measure_id: hit.measure.id, created_at: ctx.now })
    .execute();
  await appendAudit(ctx.db, {
    actorKind: 'system',
    actorId: null,
    actorLabel: SYSTEM_LABEL,
    action: 'emergency.auto_pass',
    subjectKind: 'case',
    subjectId: String(c.id),
    agencyCode: c.agency_code,
    requestId: ctx.requestId,
    ip: ctx.ip,
    data: { period: hit.periodId, measure: hit.measure.id, item: c.item_code },
  });
  return true;
}

export async function decidePostAudit(ctx: Ctx, id: number, input: { decision: 'confirm' | 'flag'; note?: string }): Promise<void> {
  const a = ctx.actor;
  if (a.kind !== 'user' || a.userKind !== 'staff' || !a.roles.some((r) => r === 'reviewer' || r === 'rechecker' || r === 'agency_admin'))
    throw new AppError('FORBIDDEN');
  const row = await ctx.db.selectFrom('emergency_post_audits').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row || row.agency_code !== a.agencyCode) throw new AppError('POST_AUDIT_NOT_FOUND');
  if (row.status !== 'pending') throw new AppError('POST_AUDIT_DECIDED');
  const status = input.decision === 'confirm' ? 'confirmed' : 'flagged';
  const note = input.note?.trim() || null;
  await ctx.db
    .updateTable('emergency_post_audits')
    .set({ status, decided_at: ctx.now, decided_by: a.id, decided_by_label: actorLabel(a), note })
    .where('id', '=', id)
    .execute();
  const c = await caseById(ctx.db, Number(row.case_id));
  await recordEvent(ctx.db, {
    caseId: Number(row.case_id),
    at: ctx.now,
    action: 'post_audit',
    from: c?.status ?? null,
    to: c?.status ?? null,
    actorId: a.id,
    actorLabel: actorLabel(a),
    note: status === 'confirmed' ? `事后审核：确认无误${note ? `（${note}）` : ''}` : `事后审核：存疑——${note}`,
    data: { decision: input.decision },
  });
  await audit(
    ctx,
    `emergency.post_audit_${input.decision}`,
    { kind: 'case', id: String(row.case_id), agency: row.agency_code },
    { postAudit: id, note },
  );
  if (status === 'flagged') {
    const sup = await ctx.db
      .selectFrom('users')
      .select('id')
      .where('kind', '=', 'staff')
      .where('agency_code', '=', row.agency_code)
      .where(sql<boolean>`roles && array['supervisor','agency_admin']::text[]`)
      .execute();
    for (const u of sup)
      await queueMessage(ctx.db, {
        channel: 'inapp',
        recipient: String(u.id),
        userId: Number(u.id),
        subject: `【事后审核存疑】${c?.case_no ?? row.case_id} ${c?.item_name ?? ''}`,
        body: `${actorLabel(a)}在事后审核中标记存疑：${note}`,
        agencyCode: row.agency_code,
        caseId: Number(row.case_id),
      });
  }
}
