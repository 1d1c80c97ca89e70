/**
 * Employer portal (单位网厅): a unit clerk adds and removes employees (增减员) one by one or by a
 * roster file (CSV or XLSX). A file is checked in full first — format and registry — and stored
 * with its report; nothing is applied until the clerk applies it, either whole (only when it has
 * no errors) or only its valid rows. Applying writes in batches inside one transaction.
 */
import type { Db } from '../../db/index.ts';
import { AppError } from '../../../common/errors.ts';
import { checkRows, ROSTER_COLUMNS, type RosterError, type RosterRow } from '../../../common/roster.ts';
import { citizenIdFacts, maskCitizenId } from '../../../common/ids.ts';
import { sha256Hex } from '../../platform/storage.ts';
import { actorLabel, type Ctx } from '../../http/actor.ts';
import { unitClerkOf, type UnitClerk } from '../../http/access.ts';
import { appendAudit } from '../audit/index.ts';
import type { RosterParser, RosterUpload } from './roster-parse.ts';
import type { RosterCheck } from './roster-read.ts';

const BATCH = 2000;

/** The unit clerk acting (FORBIDDEN for anyone else). */
export const unitClerk = (ctx: Ctx): UnitClerk => unitClerkOf(ctx.actor);

/** Registry checks for rows that passed the format checks. */
async function registryErrors(db: Db, unitId: number, rows: RosterRow[]): Promise<RosterError[]> {
  const here = new Set(
    (
      await db
        .selectFrom('enrolments as e')
        .innerJoin('persons as p', 'p.id', 'e.person_id')
        .select('p.id_no')
        .where('e.unit_id', '=', unitId)
        .where('e.type', '=', 'employee')
        .where('e.status', '=', 'active')
        .execute()
    ).map((r) => r.id_no),
  );
  const errors: RosterError[] = [];
  for (const r of rows) {
    if (r.action === 'add' && here.has(r.idNo))
      errors.push({ line: r.line, column: '公民身份号码', message: '此人已是本单位在职参保职工，不能重复增员。' });
    if (r.action === 'remove' && !here.has(r.idNo))
      errors.push({ line: r.line, column: '公民身份号码', message: '此人不是本单位在职参保职工，不能减员。' });
  }
  return errors;
}

export interface RosterReport {
  id: number;
  fileName: string;
  total: number;
  valid: number;
  errors: RosterError[];
  status: string;
  appliedRows: number | null;
}

export interface ParsedRoster {
  fileName: string;
  sha: string;
  check: RosterCheck;
}

/**
 * Read and format-check an uploaded roster file in a worker (roster-parse.ts: row, cell and memory
 * caps, at most a few at once). Outside any transaction: a parse holds no database connection.
 */
export async function parseRoster(ctx: Ctx, parser: RosterParser, fileName: string, upload: RosterUpload): Promise<ParsedRoster> {
  unitClerk(ctx);
  return { fileName, ...(await parser.parse(upload, fileName, ctx.today)) };
}

/** The registry checks of a parsed roster; the upload is kept with its report. */
export async function checkRoster(ctx: Ctx, parsed: ParsedRoster): Promise<RosterReport> {
  return checkTable(ctx, parsed.fileName, parsed.sha, parsed.check);
}

/** Keep a format-checked roster (header row first) with its valid rows and its errors, after the registry checks. */
async function checkTable(ctx: Ctx, fileName: string, sha: string, fmt: RosterCheck): Promise<RosterReport> {
  const clerk = unitClerk(ctx);
  const reg = await registryErrors(ctx.db, clerk.unitId, fmt.rows);
  const badLines = new Set(reg.map((e) => e.line));
  const valid = fmt.rows.filter((r) => !badLines.has(r.line));
  const errors = [...fmt.errors, ...reg].sort((a, b) => a.line - b.line);
  const total = fmt.total;
  const row = await ctx.db
    .insertInto('roster_uploads')
    .values({
      unit_id: clerk.unitId,
      user_id: clerk.id,
      file_name: fileName.slice(-120),
      file_sha: sha,
      total,
      rows: JSON.stringify(valid),
      errors: JSON.stringify(errors),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), fileName, total, valid: valid.length, errors, status: 'checked', appliedRows: null };
}

/** Apply a checked upload: `all` only when it has no errors, `valid` applies the valid rows. */
export async function applyRoster(ctx: Ctx, uploadId: number, mode: 'all' | 'valid'): Promise<RosterReport> {
  const clerk = unitClerk(ctx);
  const up = await ctx.db
    .selectFrom('roster_uploads')
    .selectAll()
    .where('id', '=', uploadId)
    .where('unit_id', '=', clerk.unitId)
    .forUpdate()
    .executeTakeFirst();
  if (!up) throw new AppError('NOT_FOUND', '没有找到这次上传。');
  if (up.status !== 'checked') throw new AppError('TRANSITION_NOT_ALLOWED', '这份花名册已经导入过了。');
  const errors = up.errors as RosterError[];
  if (mode === 'all' && errors.length) {
    const lines = new Set(errors.map((e) => e.line)).size;
    throw new AppError(
      'VALIDATION_FAILED',
      `花名册有 ${lines} 行共 ${errors.length} 处错误，请修改后重新上传，或选择“只导入正确的行”。`,
      errors.slice(0, 50),
    );
  }
  const unit = await ctx.db.selectFrom('units').select(['id', 'agency_code', 'name']).where('id', '=', clerk.unitId).executeTakeFirstOrThrow();
  if (!unit.agency_code) throw new AppError('GUARD_FAILED', '本单位尚未在医保经办机构办理单位参保登记，不能增减员。');
  const rows = up.rows as RosterRow[];
  // Registry may have changed since the check: re-check now, inside the transaction.
  const stale = await registryErrors(ctx.db, clerk.unitId, rows);
  if (stale.length) throw new AppError('STALE_CASE', `自检查以来有 ${stale.length} 名职工的参保状态已变化，请重新上传。`, stale.slice(0, 50));
  const label = actorLabel(ctx.actor);
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const adds = batch.filter((r) => r.action === 'add');
    const removes = batch.filter((r) => r.action === 'remove');
    if (adds.length) {
      await ctx.db
        .insertInto('persons')
        .values(
          adds.map((r) => {
            const f = citizenIdFacts(r.idNo);
            return {
              id_no: r.idNo,
              name: r.name,
              sex: f.sex,
              birth_date: f.birthDate,
              hukou_region: f.region,
              residence_permit_region: null,
              phone: null,
              household_id: null,
            };
          }),
        )
        .onConflict((oc) => oc.column('id_no').doNothing())
        .execute();
    }
    const ids = new Map(
      (
        await ctx.db
          .selectFrom('persons')
          .select(['id', 'id_no'])
          .where(
            'id_no',
            'in',
            batch.map((r) => r.idNo),
          )
          .execute()
      ).map((p) => [p.id_no, Number(p.id)]),
    );
    if (adds.length) {
      await ctx.db
        .insertInto('enrolments')
        .values(
          adds.map((r) => ({
            person_id: ids.get(r.idNo)!,
            agency_code: unit.agency_code!,
            type: 'employee',
            unit_id: clerk.unitId,
            status: 'active',
            start_date: r.date,
            end_date: null,
            case_id: null,
            employment: 'employed',
          })),
        )
        .execute();
    }
    for (const r of removes) {
      await ctx.db
        .updateTable('enrolments')
        .set({ status: 'suspended', end_date: r.date, updated_at: ctx.now })
        .where('person_id', '=', ids.get(r.idNo)!)
        .where('unit_id', '=', clerk.unitId)
        .where('type', '=', 'employee')
        .where('status', '=', 'active')
        .execute();
    }
    await ctx.db
      .insertInto('registry_history')
      .values(
        batch.map((r) => ({
          at: ctx.now,
          effective_from: r.date,
          actor_label: label,
          entity: 'enrolment',
          entity_id: `${r.idNo}@unit${clerk.unitId}`,
          person_id: ids.get(r.idNo) ?? null,
          change: JSON.stringify(
            r.action === 'add'
              ? { before: null, after: { type: 'employee', status: 'active', start: r.date, unit: unit.name, baseFen: r.baseFen } }
              : { before: { status: 'active' }, after: { status: 'suspended', end: r.date } },
          ),
          case_id: null,
        })),
      )
      .execute();
  }
  await ctx.db
    .updateTable('roster_uploads')
    .set({ status: 'applied', applied_rows: rows.length, applied_at: ctx.now })
    .where('id', '=', uploadId)
    .execute();
  await appendAudit(ctx.db, {
    actorKind: 'user',
    actorId: String(clerk.id),
    actorLabel: label,
    action: 'roster.apply',
    subjectKind: 'unit',
    subjectId: String(clerk.unitId),
    agencyCode: unit.agency_code,
    requestId: ctx.requestId,
    ip: ctx.ip,
    data: { upload: uploadId, mode, rows: rows.length, adds: rows.filter((r) => r.action === 'add').length },
  });
  return { id: uploadId, fileName: up.file_name, total: up.total, valid: rows.length, errors, status: 'applied', appliedRows: rows.length };
}

/**
 * 逐个增员或减员: one row checked exactly as a roster line would be, then applied, in the caller's
 * one transaction; a row with errors changes nothing and answers them all (VALIDATION_FAILED).
 */
export async function changeOne(
  ctx: Ctx,
  b: { action: 'add' | 'remove'; idNo: string; name: string; date: string; base?: number },
): Promise<RosterReport> {
  const row = [b.action === 'add' ? '增员' : '减员', b.idNo, b.name, b.date, b.base === undefined ? '' : String(b.base)];
  const table = [ROSTER_COLUMNS.map((c) => c.label), row];
  const fmt = { ...checkRows(table, ctx.today), total: 1 };
  const report = await checkTable(ctx, '逐个办理', sha256Hex(Buffer.from(JSON.stringify(table))), fmt);
  if (report.errors.length) throw new AppError('VALIDATION_FAILED', report.errors.map((e) => `${e.column}：${e.message}`).join(''), report.errors);
  return applyRoster(ctx, report.id, 'all');
}

/** The unit's name and its employees (newest first, at most 1,000), ID numbers masked. */
export async function employeeList(ctx: Ctx) {
  const clerk = unitClerk(ctx);
  const unit = await ctx.db.selectFrom('units').select(['name', 'uscc', 'agency_code']).where('id', '=', clerk.unitId).executeTakeFirstOrThrow();
  const rows = await employees(ctx.db, clerk.unitId);
  return {
    unit: { name: unit.name, uscc: unit.uscc, agencyCode: unit.agency_code },
    items: rows.map((e) => ({ idNoMasked: maskCitizenId(e.id_no), name: e.name, start: e.start_date, status: e.status, end: e.end_date })),
  };
}

export async function employees(db: Db, unitId: number) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('persons as p', 'p.id', 'e.person_id')
    .select(['p.id_no', 'p.name', 'e.start_date', 'e.status', 'e.end_date'])
    .where('e.unit_id', '=', unitId)
    .where('e.type', '=', 'employee')
    .orderBy('e.start_date', 'desc')
    .limit(1000)
    .execute();
}

/**
 * 缴费基数申报: the unit declares each active employee's monthly base for a year. Every row is
 * checked first (all errors at once); then the bases are stored and the unit's average monthly
 * wage — the 生育津贴 base — is set to their average, with history.
 */
export async function declareBases(
  ctx: Ctx,
  input: { year: number; rows: { idNo: string; base: number }[] },
): Promise<{ declared: number; avgMonthlyWage: number }> {
  const clerk = unitClerk(ctx);
  const active = new Map(
    (
      await ctx.db
        .selectFrom('enrolments as e')
        .innerJoin('persons as p', 'p.id', 'e.person_id')
        .select(['p.id_no', 'p.id'])
        .where('e.unit_id', '=', clerk.unitId)
        .where('e.type', '=', 'employee')
        .where('e.status', '=', 'active')
        .execute()
    ).map((r) => [r.id_no, Number(r.id)]),
  );
  const errors: RosterError[] = [];
  const seen = new Set<string>();
  input.rows.forEach((r, i) => {
    const idNo = r.idNo.trim().toUpperCase();
    if (!active.has(idNo))
      errors.push({ line: i + 1, column: '公民身份号码', field: 'idNo', message: '此人不是本单位在职参保职工，不能申报缴费基数。' });
    if (seen.has(idNo)) errors.push({ line: i + 1, column: '公民身份号码', field: 'idNo', message: '同一人重复申报。' });
    seen.add(idNo);
    if (!(r.base > 0) || Math.abs(r.base * 100 - Math.round(r.base * 100)) > 1e-6)
      errors.push({ line: i + 1, column: '缴费基数', field: 'base', message: '缴费基数应为大于0、最多两位小数的金额。' });
  });
  if (errors.length) throw new AppError('VALIDATION_FAILED', `申报有 ${errors.length} 处错误，未保存任何数据。`, errors);
  const rows = input.rows.map((r) => ({
    unit_id: clerk.unitId,
    year: input.year,
    person_id: active.get(r.idNo.trim().toUpperCase())!,
    base_fen: Math.round(r.base * 100),
    declared_at: ctx.now,
  }));
  for (let i = 0; i < rows.length; i += BATCH)
    await ctx.db
      .insertInto('base_declarations')
      .values(rows.slice(i, i + BATCH))
      .onConflict((oc) =>
        oc
          .columns(['unit_id', 'year', 'person_id'])
          .doUpdateSet((eb) => ({ base_fen: eb.ref('excluded.base_fen'), declared_at: eb.ref('excluded.declared_at') })),
      )
      .execute();
  const all = await ctx.db
    .selectFrom('base_declarations')
    .select('base_fen')
    .where('unit_id', '=', clerk.unitId)
    .where('year', '=', input.year)
    .execute();
  const avg = Math.round(all.reduce((s, r) => s + Number(r.base_fen), 0) / all.length);
  const before = await ctx.db.selectFrom('units').select('avg_monthly_wage_fen').where('id', '=', clerk.unitId).executeTakeFirstOrThrow();
  await ctx.db.updateTable('units').set({ avg_monthly_wage_fen: avg }).where('id', '=', clerk.unitId).execute();
  await ctx.db
    .insertInto('registry_history')
    .values({
      at: ctx.now,
      effective_from: `${input.year}-01-01`,
      actor_label: actorLabel(ctx.actor),
      entity: 'unit',
      entity_id: String(clerk.unitId),
      person_id: null,
      change: JSON.stringify({
        before: { avgMonthlyWageFen: before.avg_monthly_wage_fen },
        after: { avgMonthlyWageFen: avg, year: input.year, declared: rows.length },
      }),
      case_id: null,
    })
    .execute();
  return { declared: rows.length, avgMonthlyWage: avg / 100 };
}
