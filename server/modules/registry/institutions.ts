/**
 * 定点医药机构 (designated hospitals and pharmacies) with their 科室 and 医保医师 备案. Changed only
 * here: every change writes `registry_history` (before/after, who) and an audit entry in the same
 * transaction (ctx.db is the transaction). Staff entries are never deleted: 终止备案 sets valid_to.
 */
import type { z } from 'zod';
import type { institutionIn, institutionStaffIn, institutionUpdateIn, InstitutionOut, InstitutionStaffOut } from '../../../common/api-admin.ts';
import { institutionCodeProblems, rangeProblem, type FieldProblem, type InstitutionKind, type InstitutionStatus } from '../../../common/admin.ts';
import { AppError } from '../../../common/errors.ts';
import { actorLabel, type Ctx } from '../../http/actor.ts';
import { auditAdmin } from '../audit/index.ts';
import { recordHistory, type Change } from './repository.ts';
import type { Db } from '../../db/index.ts';

type InstitutionRow = {
  code: string;
  name: string;
  kind: string;
  status: string;
  agreement_from: string | null;
  agreement_to: string | null;
};

function agreementValid(r: InstitutionRow, today: string): boolean {
  return r.status === 'active' && (!r.agreement_from || r.agreement_from <= today) && (!r.agreement_to || r.agreement_to >= today);
}

function present(r: InstitutionRow, today: string, counts: { departments: number; physicians: number }): InstitutionOut {
  return {
    code: r.code,
    name: r.name,
    kind: r.kind as InstitutionKind,
    status: r.status as InstitutionStatus,
    agreementFrom: r.agreement_from,
    agreementTo: r.agreement_to,
    agreementValid: agreementValid(r, today),
    ...counts,
  };
}

function snapshotOf(r: InstitutionRow) {
  return { name: r.name, kind: r.kind, status: r.status, agreementFrom: r.agreement_from, agreementTo: r.agreement_to };
}

function change(ctx: Ctx, effectiveFrom: string): Change {
  return { at: ctx.now, effectiveFrom, actorLabel: actorLabel(ctx.actor) };
}

function invalid(problems: FieldProblem[], code: 'VALIDATION_FAILED' | 'INSTITUTION_CODE_INVALID' = 'VALIDATION_FAILED'): AppError {
  return new AppError(code, problems.map((p) => p.message).join(''), problems);
}

async function agencyRegion(db: Db, agency: string): Promise<string> {
  const a = await db.selectFrom('agencies').select('region_code').where('code', '=', agency).executeTakeFirst();
  if (!a) throw new AppError('AGENCY_NOT_FOUND');
  return a.region_code;
}

export async function listInstitutions(db: Db, agency: string, today: string): Promise<InstitutionOut[]> {
  const rows = await db
    .selectFrom('institutions')
    .select(['code', 'name', 'kind', 'status', 'agreement_from', 'agreement_to'])
    .where('agency_code', '=', agency)
    .orderBy('code')
    .limit(2000)
    .execute();
  const counts = rows.length
    ? await db
        .selectFrom('institution_staff')
        .select(['institution_code', 'kind'])
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where(
          'institution_code',
          'in',
          rows.map((r) => r.code),
        )
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', today)]))
        .groupBy(['institution_code', 'kind'])
        .execute()
    : [];
  const n = (code: string, kind: string) => Number(counts.find((c) => c.institution_code === code && c.kind === kind)?.n ?? 0);
  return rows.map((r) => present(r, today, { departments: n(r.code, 'department'), physicians: n(r.code, 'physician') }));
}

async function institutionRow(db: Db, agency: string, code: string, forUpdate = false): Promise<InstitutionRow> {
  let q = db
    .selectFrom('institutions')
    .select(['code', 'name', 'kind', 'status', 'agreement_from', 'agreement_to'])
    .where('agency_code', '=', agency)
    .where('code', '=', code.toUpperCase());
  if (forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  if (!r) throw new AppError('INSTITUTION_NOT_FOUND');
  return r;
}

export async function institutionDetail(
  db: Db,
  agency: string,
  code: string,
  today: string,
): Promise<InstitutionOut & { staff: InstitutionStaffOut[] }> {
  const r = await institutionRow(db, agency, code);
  const staff = await db
    .selectFrom('institution_staff')
    .selectAll()
    .where('institution_code', '=', r.code)
    .orderBy('kind')
    .orderBy('valid_to', 'desc')
    .orderBy('id')
    .execute();
  const out: InstitutionStaffOut[] = staff.map((s) => {
    const d = (s.detail ?? {}) as { code?: string; department?: string; title?: string };
    return {
      id: Number(s.id),
      kind: s.kind as InstitutionStaffOut['kind'],
      name: s.name,
      code: d.code ?? null,
      department: d.department ?? null,
      title: d.title ?? null,
      validFrom: s.valid_from,
      validTo: s.valid_to,
      active: s.valid_from <= today && (s.valid_to === null || s.valid_to >= today),
    };
  });
  const active = (k: string) => out.filter((s) => s.kind === k && (s.validTo === null || s.validTo >= today)).length;
  return { ...present(r, today, { departments: active('department'), physicians: active('physician') }), staff: out };
}

export async function createInstitution(ctx: Ctx, agency: string, input: z.output<typeof institutionIn>): Promise<string> {
  const codeProblems = institutionCodeProblems(input.code, input.kind, await agencyRegion(ctx.db, agency));
  if (codeProblems.some((p) => p.path === 'code')) throw invalid(codeProblems, 'INSTITUTION_CODE_INVALID');
  const range = rangeProblem(input.agreementFrom, input.agreementTo, 'agreementTo');
  const problems = [...codeProblems, ...(range ? [range] : [])];
  if (problems.length) throw invalid(problems);
  const taken = await ctx.db.selectFrom('institutions').select(['agency_code']).where('code', '=', input.code).executeTakeFirst();
  if (taken) throw new AppError('INSTITUTION_EXISTS', undefined, [{ path: 'code', message: `编码 ${input.code} 已经登记，请核对。` }]);
  const row = await ctx.db
    .insertInto('institutions')
    .values({
      code: input.code,
      agency_code: agency,
      name: input.name,
      kind: input.kind,
      agreement_from: input.agreementFrom,
      agreement_to: input.agreementTo ?? null,
      status: 'active',
    })
    .returning(['code', 'name', 'kind', 'status', 'agreement_from', 'agreement_to'])
    .executeTakeFirstOrThrow();
  await recordHistory(ctx.db, change(ctx, input.agreementFrom), 'institution', row.code, null, null, snapshotOf(row));
  await auditAdmin(ctx, { agency, action: 'institution.create', subjectKind: 'institution', subjectId: row.code, data: snapshotOf(row) });
  return row.code;
}

export async function updateInstitution(ctx: Ctx, agency: string, code: string, input: z.output<typeof institutionUpdateIn>): Promise<void> {
  const before = await institutionRow(ctx.db, agency, code, true);
  const problems = institutionCodeProblems(before.code, input.kind, await agencyRegion(ctx.db, agency)).filter((p) => p.path === 'kind');
  const range = rangeProblem(input.agreementFrom, input.agreementTo, 'agreementTo');
  if (range) problems.push(range);
  if (problems.length) throw invalid(problems);
  const after = await ctx.db
    .updateTable('institutions')
    .set({ name: input.name, kind: input.kind, status: input.status, agreement_from: input.agreementFrom, agreement_to: input.agreementTo ?? null })
    .where('code', '=', before.code)
    .returning(['code', 'name', 'kind', 'status', 'agreement_from', 'agreement_to'])
    .executeTakeFirstOrThrow();
  const b = snapshotOf(before);
  const a = snapshotOf(after);
  if (JSON.stringify(a) === JSON.stringify(b)) return; // nothing changed: no history, no audit
  await recordHistory(ctx.db, change(ctx, ctx.today), 'institution', before.code, null, b, a);
  await auditAdmin(ctx, { agency, action: 'institution.update', subjectKind: 'institution', subjectId: before.code, data: { before: b, after: a } });
}

export async function addInstitutionStaff(ctx: Ctx, agency: string, code: string, input: z.output<typeof institutionStaffIn>): Promise<number> {
  const inst = await institutionRow(ctx.db, agency, code, true);
  if (inst.status === 'terminated')
    throw new AppError('VALIDATION_FAILED', '该机构已解除协议，不能再备案科室或医师。', [
      { path: '', message: '该机构已解除协议，不能再备案科室或医师。' },
    ]);
  const detail = Object.fromEntries(
    Object.entries({
      code: input.code,
      department: input.kind === 'physician' ? input.department : undefined,
      title: input.kind === 'physician' ? input.title : undefined,
    }).filter(([, v]) => v),
  );
  const row = await ctx.db
    .insertInto('institution_staff')
    .values({
      institution_code: inst.code,
      kind: input.kind,
      name: input.name,
      detail: JSON.stringify(detail),
      valid_from: input.validFrom,
      valid_to: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const after = { institution: inst.code, kind: input.kind, name: input.name, ...detail, validFrom: input.validFrom };
  await recordHistory(ctx.db, change(ctx, input.validFrom), 'institution_staff', row.id, null, null, after);
  await auditAdmin(ctx, { agency, action: 'institution_staff.add', subjectKind: 'institution_staff', subjectId: String(row.id), data: after });
  return Number(row.id);
}

/** 终止备案: the entry stays, valid up to and including `validTo`. */
export async function endInstitutionStaff(ctx: Ctx, agency: string, code: string, id: number, validTo: string): Promise<void> {
  const inst = await institutionRow(ctx.db, agency, code);
  const s = await ctx.db
    .selectFrom('institution_staff')
    .selectAll()
    .where('id', '=', id)
    .where('institution_code', '=', inst.code)
    .forUpdate()
    .executeTakeFirst();
  if (!s) throw new AppError('INSTITUTION_STAFF_NOT_FOUND');
  if (s.valid_to !== null && s.valid_to < ctx.today)
    throw new AppError('VALIDATION_FAILED', `该备案已于 ${s.valid_to} 终止。`, [{ path: '', message: `该备案已于 ${s.valid_to} 终止。` }]);
  const problems: FieldProblem[] = [];
  if (validTo < ctx.today) problems.push({ path: 'validTo', message: `终止日期不能早于今天（${ctx.today}）。` });
  else if (validTo < s.valid_from) problems.push({ path: 'validTo', message: `终止日期不能早于备案生效日期 ${s.valid_from}。` });
  if (problems.length) throw invalid(problems);
  await ctx.db.updateTable('institution_staff').set({ valid_to: validTo }).where('id', '=', id).execute();
  await recordHistory(ctx.db, change(ctx, validTo), 'institution_staff', id, null, { validTo: s.valid_to }, { validTo });
  await auditAdmin(ctx, {
    agency,
    action: 'institution_staff.end',
    subjectKind: 'institution_staff',
    subjectId: String(id),
    data: { institution: inst.code, kind: s.kind, name: s.name, validTo },
  });
}
