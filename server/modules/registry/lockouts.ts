/**
 * 待遇封锁期 per person and agency. Changed only here: entering one and lifting it early each write
 * `registry_history` and an audit entry in the same transaction (ctx.db is the transaction). A
 * lifted lock-out keeps its original end (`to_date`); from `lifted_on` it no longer applies, which
 * the registry snapshot (repository.ts) and so the rules (fact lockout.active) see at once.
 */
import type { z } from 'zod';
import type { lockoutIn, lockoutLiftIn, LockoutOut } from '../../../common/api-admin.ts';
import { liftProblems, lockoutLastDay, lockoutProblems, lockoutStatus, type FieldProblem, type LockoutStatus } from '../../../common/admin.ts';
import { citizenIdProblem, maskCitizenId } from '../../../common/ids.ts';
import { AppError } from '../../../common/errors.ts';
import { actorLabel, type Ctx } from '../../http/actor.ts';
import { auditAdmin, publisherLabel } from '../audit/index.ts';
import { personByIdNo, recordHistory } from './repository.ts';
import type { Db } from '../../db/index.ts';

const ID_MESSAGES = {
  format: '公民身份号码应为18位（最后一位可为X）。',
  birthdate: '公民身份号码中的出生日期无效。',
  checksum: '公民身份号码校验位不正确，请核对。',
} as const;

function invalid(code: 'VALIDATION_FAILED' | 'ID_NO_INVALID' | 'PERSON_NOT_IN_REGISTRY' | 'LOCKOUT_OVERLAP', problems: FieldProblem[]): AppError {
  return new AppError(code, problems.map((p) => p.message).join(''), problems);
}

interface Row {
  id: number;
  person_id: number;
  from_date: string;
  to_date: string;
  reason: string;
  created_at: Date;
  created_by: string | null;
  lifted_on: string | null;
  lift_reason: string | null;
  lifted_by: string | null;
  name: string;
  id_no: string;
}

function dates(r: Pick<Row, 'from_date' | 'to_date' | 'lifted_on'>) {
  return { from: r.from_date, to: r.to_date, liftedOn: r.lifted_on };
}

function present(r: Row, today: string, canEdit: boolean): LockoutOut {
  const status = lockoutStatus(dates(r), today);
  return {
    id: Number(r.id),
    personName: r.name,
    idNoMasked: maskCitizenId(r.id_no),
    from: r.from_date,
    to: r.to_date,
    lastDay: lockoutLastDay(dates(r)),
    reason: r.reason,
    status,
    liftedOn: r.lifted_on,
    liftReason: r.lift_reason,
    liftedBy: r.lifted_by,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    canLift: canEdit && (status === 'active' || status === 'scheduled') && !r.lifted_on,
  };
}

function base(db: Db) {
  return db
    .selectFrom('lockouts as l')
    .innerJoin('persons as p', 'p.id', 'l.person_id')
    .select([
      'l.id',
      'l.person_id',
      'l.from_date',
      'l.to_date',
      'l.reason',
      'l.created_at',
      'l.created_by',
      'l.lifted_on',
      'l.lift_reason',
      'l.lifted_by',
      'p.name',
      'p.id_no',
    ]);
}

export async function listLockouts(
  db: Db,
  agency: string,
  today: string,
  filter: { idNo?: string; status?: LockoutStatus },
  canEdit: boolean,
): Promise<LockoutOut[]> {
  let q = base(db).where('l.agency_code', '=', agency);
  if (filter.idNo) q = q.where('p.id_no', '=', filter.idNo.toUpperCase());
  const rows = (await q.orderBy('l.from_date', 'desc').orderBy('l.id', 'desc').limit(1000).execute()) as Row[];
  return rows.map((r) => present(r, today, canEdit)).filter((l) => !filter.status || l.status === filter.status);
}

export async function createLockout(ctx: Ctx, agency: string, input: z.output<typeof lockoutIn>): Promise<LockoutOut> {
  const idp = citizenIdProblem(input.idNo, ctx.today);
  if (idp) throw invalid('ID_NO_INVALID', [{ path: 'idNo', message: ID_MESSAGES[idp] }]);
  const problems = lockoutProblems(input, ctx.today);
  if (problems.length) throw invalid('VALIDATION_FAILED', problems);
  const person = await personByIdNo(ctx.db, input.idNo);
  const enrolled =
    person &&
    (await ctx.db.selectFrom('enrolments').select('id').where('person_id', '=', person.id).where('agency_code', '=', agency).executeTakeFirst());
  if (!person || !enrolled) throw invalid('PERSON_NOT_IN_REGISTRY', [{ path: 'idNo', message: '本机构的参保登记中没有此人，请核对公民身份号码。' }]);
  // One lock-out at a time per person: the periods (as they apply after any early lifting) may not overlap.
  const mine = await ctx.db
    .selectFrom('lockouts')
    .select(['id', 'from_date', 'to_date', 'lifted_on'])
    .where('person_id', '=', person.id)
    .where('agency_code', '=', agency)
    .forUpdate()
    .execute();
  const clash = mine.find((l) => {
    const last = lockoutLastDay(dates(l));
    return last !== null && l.from_date <= input.to && last >= input.from;
  });
  if (clash)
    throw invalid('LOCKOUT_OVERLAP', [
      { path: 'from', message: `此人已有 ${clash.from_date} 至 ${lockoutLastDay(dates(clash))} 的待遇封锁期，与所填期间重叠。` },
    ]);
  const row = await ctx.db
    .insertInto('lockouts')
    .values({
      person_id: person.id,
      agency_code: agency,
      from_date: input.from,
      to_date: input.to,
      reason: input.reason,
      created_by: publisherLabel(ctx),
      created_at: ctx.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const after = { from: input.from, to: input.to, reason: input.reason };
  await recordHistory(
    ctx.db,
    { at: ctx.now, effectiveFrom: input.from, actorLabel: actorLabel(ctx.actor) },
    'lockout',
    row.id,
    Number(person.id),
    null,
    after,
  );
  await auditAdmin(ctx, {
    agency,
    action: 'lockout.create',
    subjectKind: 'lockout',
    subjectId: String(row.id),
    data: { person: Number(person.id), idNo: maskCitizenId(person.id_no), ...after },
  });
  const created = (await base(ctx.db).where('l.id', '=', row.id).executeTakeFirstOrThrow()) as Row;
  return present(created, ctx.today, true);
}

/** 提前解除: from `on` the lock-out no longer applies; its original end is kept. */
export async function liftLockout(ctx: Ctx, agency: string, id: number, input: z.output<typeof lockoutLiftIn>): Promise<LockoutOut> {
  const l = (await base(ctx.db).where('l.id', '=', id).where('l.agency_code', '=', agency).forUpdate('l').executeTakeFirst()) as Row | undefined;
  if (!l) throw new AppError('LOCKOUT_NOT_FOUND');
  const status = lockoutStatus(dates(l), ctx.today);
  if (l.lifted_on || status === 'ended')
    throw new AppError(
      'LOCKOUT_NOT_LIFTABLE',
      l.lifted_on ? `该封锁期已确定于 ${l.lifted_on} 提前解除。` : `该封锁期已于 ${l.to_date} 到期，无需解除。`,
    );
  const problems = liftProblems(dates(l), input.on, ctx.today);
  if (problems.length) throw invalid('VALIDATION_FAILED', problems);
  const by = publisherLabel(ctx);
  await ctx.db.updateTable('lockouts').set({ lifted_on: input.on, lift_reason: input.reason, lifted_by: by }).where('id', '=', id).execute();
  await recordHistory(
    ctx.db,
    { at: ctx.now, effectiveFrom: input.on, actorLabel: actorLabel(ctx.actor) },
    'lockout',
    id,
    Number(l.person_id),
    { from: l.from_date, to: l.to_date, liftedOn: null },
    { from: l.from_date, to: l.to_date, liftedOn: input.on, liftReason: input.reason },
  );
  await auditAdmin(ctx, {
    agency,
    action: 'lockout.lift',
    subjectKind: 'lockout',
    subjectId: String(id),
    data: { person: Number(l.person_id), on: input.on, reason: input.reason },
  });
  return present({ ...l, lifted_on: input.on, lift_reason: input.reason, lifted_by: by }, ctx.today, true);
}
