/**
 * 参保人档案 for agency staff: finding a person, their whole record (from the registry snapshot plus
 * ledger lines, payments, household, guardians and the registry history), and the household and
 * guardian changes. Scope: a staff member finds and opens only persons with an enrolment or a
 * (submitted) case at the agency they act for; a system admin any person. Anyone else is "not found".
 * Every change writes `registry_history` for each person it touches and an audit entry, in the
 * caller's transaction (ctx.db is the transaction); every view and search is audited.
 */
import type { ExpressionBuilder } from 'kysely';
import type { z } from 'zod';
import type {
  GuardianLink,
  guardianIn,
  householdIn,
  householdMemberIn,
  PersonHit,
  PersonRecordOut,
  PersonSearchOut,
  personSearchQuery,
  RelatedPerson,
  removeIn,
} from '../../../common/api-persons.ts';
import { AppError } from '../../../common/errors.ts';
import { citizenIdFacts, citizenIdProblem, maskCitizenId } from '../../../common/ids.ts';
import {
  ageOn,
  describeChange,
  GUARDIAN_BASIS_LABELS,
  GUARDIAN_RELATION_LABELS,
  guardianProblem,
  HISTORY_ENTITY_LABELS,
} from '../../../common/persons.ts';
import type { GuardianBasis, GuardianRelation } from '../../../common/persons.ts';
import { arrearsMonths, continuousPaidMonths, monthOf, type EnrolmentType, type GraceContext } from '../../../common/registry.ts';
import type { StaffRole } from '../../../common/workflow.ts';
import type { DB } from '../../db/types.ts';
import { isStaff, type Ctx, type UserActor } from '../../http/actor.ts';
import { auditAdmin, publisherLabel } from '../audit/index.ts';
import { recordHistory, snapshot, type Change } from './repository.ts';
import type { Db } from '../../db/index.ts';

/** Roles that change households and guardians (reading is for any staff role). */
export const PERSON_WRITE_ROLES: readonly StaffRole[] = ['acceptor', 'reviewer', 'agency_admin', 'sysadmin'];

export interface PersonScope {
  actor: UserActor;
  /** The agency acted for (the record's agency-specific parts: account, certifications, payments). */
  agency: string;
  /** A system admin: any person. */
  all: boolean;
  canWrite: boolean;
}

const ID_MESSAGES = {
  format: '公民身份号码应为18位（最后一位可为X）。',
  birthdate: '公民身份号码中的出生日期无效。',
  checksum: '公民身份号码校验位不正确，请核对。',
} as const;

function checkIdNo(idNo: string, today: string, path = 'idNo'): void {
  const p = citizenIdProblem(idNo, today);
  if (p) throw new AppError('ID_NO_INVALID', ID_MESSAGES[p], [{ path, message: ID_MESSAGES[p] }]);
}

// ---------------------------------------------------------------------------------------------
// Scope

/** Persons with an enrolment or a submitted case at the agency. */
function knownAt(eb: ExpressionBuilder<DB, 'persons'>, agency: string) {
  return eb.or([
    eb.exists(eb.selectFrom('enrolments as se').select('se.id').whereRef('se.person_id', '=', 'persons.id').where('se.agency_code', '=', agency)),
    eb.exists(
      eb
        .selectFrom('cases as sc')
        .select('sc.id')
        .whereRef('sc.applicant_id_no', '=', 'persons.id_no')
        .where('sc.agency_code', '=', agency)
        .where('sc.status', '!=', 'draft'),
    ),
  ]);
}

function scoped(db: Db, s: PersonScope) {
  const q = db.selectFrom('persons');
  return s.all ? q : q.where((eb) => knownAt(eb, s.agency));
}

/** Which of these persons the staff member may open. */
async function viewableIds(db: Db, s: PersonScope, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await scoped(db, s).select('persons.id').where('persons.id', 'in', ids).execute();
  return new Set(rows.map((r) => Number(r.id)));
}

type PersonRow = Awaited<ReturnType<typeof personRow>>;
function personRow(db: Db, id: number) {
  return db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The person if in scope, else PERSON_NOT_FOUND; `lock` takes the row lock (serialises changes to one person). */
async function inScope(ctx: Ctx, s: PersonScope, id: number, lock = false): Promise<NonNullable<PersonRow>> {
  let q = scoped(ctx.db, s).selectAll('persons').where('persons.id', '=', id);
  if (lock) q = q.forUpdate();
  const p = await q.executeTakeFirst();
  if (!p) throw new AppError('PERSON_NOT_FOUND');
  return p;
}

// ---------------------------------------------------------------------------------------------
// Search

const SEARCH_LIMIT = 20;

export async function searchPersons(ctx: Ctx, s: PersonScope, query: z.output<typeof personSearchQuery>): Promise<PersonSearchOut> {
  const by = query.idNo ? ('idNo' as const) : ('name' as const);
  let q = scoped(ctx.db, s).select(['persons.id', 'persons.name', 'persons.id_no', 'persons.sex', 'persons.birth_date', 'persons.status']);
  if (query.idNo) {
    checkIdNo(query.idNo, ctx.today);
    q = q.where('persons.id_no', '=', query.idNo);
  } else {
    q = q.where('persons.name', '=', query.name!);
    if (query.birthDate) q = q.where('persons.birth_date', '=', query.birthDate);
  }
  const rows = await q
    .orderBy('persons.birth_date')
    .orderBy('persons.id')
    .limit(SEARCH_LIMIT + 1)
    .execute();
  const shown = rows.slice(0, SEARCH_LIMIT);
  const enrolled = shown.length
    ? new Set(
        (
          await ctx.db
            .selectFrom('enrolments')
            .select('person_id')
            .where(
              'person_id',
              'in',
              shown.map((r) => r.id),
            )
            .where('agency_code', '=', s.agency)
            .execute()
        ).map((r) => Number(r.person_id)),
      )
    : new Set<number>();
  await auditAdmin(ctx, {
    agency: s.agency,
    action: 'person.search',
    subjectKind: 'person',
    subjectId: shown.length === 1 ? String(shown[0]!.id) : '-',
    data: {
      by,
      ...(query.idNo ? { idNo: maskCitizenId(query.idNo) } : { name: query.name, birthDate: query.birthDate || null }),
      found: shown.length,
    },
  });
  const items: PersonHit[] = shown.map((r) => ({
    id: Number(r.id),
    name: r.name,
    idNoMasked: maskCitizenId(r.id_no),
    sex: r.sex as 'M' | 'F',
    birthDate: r.birth_date,
    age: ageOn(r.birth_date, ctx.today),
    status: r.status,
    enrolledHere: enrolled.has(Number(r.id)),
  }));
  return { agency: s.agency, by, items, truncated: rows.length > SEARCH_LIMIT };
}

// ---------------------------------------------------------------------------------------------
// The record

const fen = (n: number | string) => Number(n) / 100;
const iso = (d: Date | string) => new Date(d).toISOString();

/** Staff see the 公民身份号码 in full; anyone else (never here today) masked. */
function idFor(ctx: Ctx, idNo: string): string {
  return isStaff(ctx.actor) ? idNo : maskCitizenId(idNo);
}

async function related(
  ctx: Ctx,
  s: PersonScope,
  rows: {
    id: number | string;
    name: string;
    id_no: string;
    birth_date: string;
    hukou_region: string;
    residence_permit_region: string | null;
    status: string;
  }[],
): Promise<Map<number, RelatedPerson>> {
  const can = await viewableIds(
    ctx.db,
    s,
    rows.map((r) => Number(r.id)),
  );
  return new Map(
    rows.map((r) => {
      const viewable = can.has(Number(r.id));
      return [
        Number(r.id),
        {
          id: Number(r.id),
          name: r.name,
          idNo: viewable ? idFor(ctx, r.id_no) : maskCitizenId(r.id_no),
          age: ageOn(r.birth_date, ctx.today),
          hukouRegion: r.hukou_region,
          residencePermitRegion: r.residence_permit_region,
          status: r.status,
          viewable,
        },
      ];
    }),
  );
}

const personCols = ['p.id', 'p.name', 'p.id_no', 'p.birth_date', 'p.hukou_region', 'p.residence_permit_region', 'p.status'] as const;

async function guardianLinks(ctx: Ctx, s: PersonScope, personId: number, side: 'guardians' | 'wards'): Promise<GuardianLink[]> {
  const rows = await ctx.db
    .selectFrom('guardians as g')
    .innerJoin('persons as p', 'p.id', side === 'guardians' ? 'g.guardian_id' : 'g.person_id')
    .select([...personCols, 'g.relation', 'g.basis', 'g.basis_reason', 'g.created_at', 'g.created_by'])
    .where(side === 'guardians' ? 'g.person_id' : 'g.guardian_id', '=', personId)
    .orderBy('g.created_at')
    .execute();
  const people = await related(ctx, s, rows);
  return rows.map((r) => ({
    ...people.get(Number(r.id))!,
    relation: r.relation as GuardianRelation,
    basis: r.basis as GuardianBasis,
    basisReason: r.basis_reason,
    since: iso(r.created_at),
    recordedBy: r.created_by,
  }));
}

/** The person's record as the staff member may see it. `audit`: record the view (a GET); a change's answer is covered by its own audit entry. */
export async function personRecord(ctx: Ctx, s: PersonScope, id: number, opts: { audit: boolean }): Promise<PersonRecordOut> {
  const p = await inScope(ctx, s, id);
  const pid = Number(p.id);
  const snap = await snapshot(ctx.db, p.id_no, s.agency, ctx.today);
  const [agencies, units, regions, ledger, payments, household, guardians, wards, history] = await Promise.all([
    ctx.db.selectFrom('agencies').select(['code', 'short_name']).execute(),
    snap.enrolments.some((e) => e.unitUscc)
      ? ctx.db
          .selectFrom('units')
          .select(['uscc', 'name'])
          .where(
            'uscc',
            'in',
            snap.enrolments.flatMap((e) => (e.unitUscc ? [e.unitUscc] : [])),
          )
          .execute()
      : Promise.resolve([]),
    ctx.db
      .selectFrom('regions')
      .select(['code', 'name'])
      .where('code', 'in', [p.hukou_region, p.residence_permit_region ?? p.hukou_region])
      .execute(),
    ctx.db
      .selectFrom('account_ledger as l')
      .leftJoin('cases as c', 'c.id', 'l.case_id')
      .select(['l.at', 'l.amount_fen', 'l.balance_after_fen', 'l.kind', 'l.note', 'l.case_id', 'c.case_no'])
      .where('l.person_id', '=', pid)
      .where('l.agency_code', '=', s.agency)
      .orderBy('l.id', 'desc')
      .limit(10)
      .execute(),
    ctx.db
      .selectFrom('payments as pm')
      .innerJoin('cases as c', 'c.id', 'pm.case_id')
      .select(['pm.kind', 'pm.amount_fen', 'pm.status', 'pm.created_at', 'pm.case_id', 'c.case_no', 'c.item_code'])
      .where('pm.person_id', '=', pid)
      .where('pm.agency_code', '=', s.agency)
      .orderBy('pm.id', 'desc')
      .execute(),
    p.household_id === null
      ? Promise.resolve(null)
      : (async () => {
          const h = await ctx.db.selectFrom('households').selectAll().where('id', '=', p.household_id!).executeTakeFirstOrThrow();
          const members = await ctx.db
            .selectFrom('persons as p')
            .select(personCols)
            .where('p.household_id', '=', h.id)
            .orderBy('p.birth_date')
            .orderBy('p.id')
            .execute();
          const people = await related(ctx, s, members);
          return {
            id: Number(h.id),
            address: h.address,
            recordedBy: h.created_by,
            members: members.map((m) => ({ ...people.get(Number(m.id))!, self: Number(m.id) === pid })),
          };
        })(),
    guardianLinks(ctx, s, pid, 'guardians'),
    guardianLinks(ctx, s, pid, 'wards'),
    ctx.db
      .selectFrom('registry_history as h')
      .leftJoin('cases as c', 'c.id', 'h.case_id')
      .select(['h.id', 'h.at', 'h.effective_from', 'h.actor_label', 'h.entity', 'h.change', 'h.case_id', 'c.case_no', 'c.agency_code as case_agency'])
      .where('h.person_id', '=', pid)
      .orderBy('h.id', 'desc')
      .limit(200)
      .execute(),
  ]);
  if (opts.audit)
    await auditAdmin(ctx, {
      agency: s.agency,
      action: 'person.view',
      subjectKind: 'person',
      subjectId: String(pid),
      data: { idNo: maskCitizenId(p.id_no) },
    });

  const agencyName = new Map(agencies.map((a) => [a.code, a.short_name]));
  const unitName = new Map(units.map((u) => [u.uscc, u.name]));
  const regionName = new Map(regions.map((r) => [r.code, r.name]));
  const grace: GraceContext | undefined = snap.graceWindows?.length ? { windows: snap.graceWindows, asOf: ctx.today } : undefined;
  const ym = monthOf(ctx.today);
  const types = [...new Set(snap.contributions.map((c) => c.type))] as EnrolmentType[];
  const ledgerOut = ledger.map((l) => ({
    at: iso(l.at),
    amount: fen(l.amount_fen),
    balanceAfter: fen(l.balance_after_fen),
    kind: l.kind,
    note: l.note,
    caseId: l.case_id === null ? null : Number(l.case_id),
    caseNo: l.case_no ?? null,
  }));
  return {
    agency: s.agency,
    today: ctx.today,
    canEdit: s.canWrite,
    person: {
      id: pid,
      idNo: idFor(ctx, p.id_no),
      name: p.name,
      sex: p.sex as 'M' | 'F',
      birthDate: p.birth_date,
      age: ageOn(p.birth_date, ctx.today),
      status: p.status as 'normal' | 'deceased',
      hukouRegion: p.hukou_region,
      hukouRegionName: regionName.get(p.hukou_region) ?? null,
      residencePermitRegion: p.residence_permit_region,
      residencePermitRegionName: p.residence_permit_region ? (regionName.get(p.residence_permit_region) ?? null) : null,
      phone: p.phone,
      badCredit: p.bad_credit,
    },
    enrolments: snap.enrolments.map((e) => ({
      type: e.type,
      agencyCode: e.agencyCode,
      agencyName: agencyName.get(e.agencyCode) ?? e.agencyCode,
      unitName: e.unitUscc ? (unitName.get(e.unitUscc) ?? null) : null,
      unitUscc: e.unitUscc,
      status: e.status,
      start: e.start,
      end: e.end,
      employment: e.employment ?? null,
    })),
    contributions: types.map((type) => {
      const mine = snap.contributions.filter((c) => c.type === type);
      return {
        type,
        continuousMonths: continuousPaidMonths(snap.contributions, type, ym, grace),
        arrears: arrearsMonths(snap.contributions, type, ym, grace),
        paidMonths: mine.filter((c) => c.paid).length,
        firstMonth: mine[0]!.month,
        lastMonth: mine.at(-1)!.month,
        lastBase: mine.at(-1)!.base,
      };
    }),
    account: snap.account ? { balance: snap.account.balance, ledger: ledgerOut } : ledgerOut.length ? { balance: 0, ledger: ledgerOut } : null,
    remoteFilings: snap.remoteFilings.map((f) => ({
      ...f,
      valid: f.validFrom <= ctx.today && (f.validTo === null || f.validTo >= ctx.today),
    })),
    chronicCerts: snap.chronicCerts.map((c) => ({ ...c, valid: c.from <= ctx.today && (c.to === null || c.to >= ctx.today) })),
    lockouts: snap.lockouts.map((l) => ({ ...l, active: l.from <= ctx.today && ctx.today <= l.to })),
    payments: payments.map((x) => ({
      kind: x.kind,
      amount: fen(x.amount_fen),
      status: x.status,
      at: iso(x.created_at),
      caseId: Number(x.case_id),
      caseNo: x.case_no,
      itemCode: x.item_code,
    })),
    household,
    guardians,
    wards,
    history: history.map((h) => ({
      id: Number(h.id),
      at: iso(h.at),
      effectiveFrom: h.effective_from,
      actor: h.actor_label,
      entity: h.entity,
      entityLabel: HISTORY_ENTITY_LABELS[h.entity] ?? h.entity,
      summary: describeChange(h.change as { before: unknown; after: unknown }),
      // A case of another agency is named but not linked (the staff member could not open it).
      caseId: h.case_id !== null && h.case_agency === s.agency ? Number(h.case_id) : null,
      caseNo: h.case_no ?? null,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Changes

function change(ctx: Ctx): Change {
  return { at: ctx.now, effectiveFrom: ctx.today, actorLabel: publisherLabel(ctx) };
}

function requireWrite(s: PersonScope): void {
  if (!s.canWrite) throw new AppError('FORBIDDEN', '只有受理、审核人员和机构管理员可以登记家庭户和监护关系。');
}

/**
 * The person a household member or guardian form names: found by 公民身份号码 (the name must match,
 * and any 户籍/居住证 given must agree with the registry), or registered from the number's facts.
 */
async function resolveOther(
  ctx: Ctx,
  input: { idNo: string; name: string; hukouRegion?: string | null; residencePermitRegion?: string | null },
): Promise<{ row: NonNullable<PersonRow>; created: boolean }> {
  checkIdNo(input.idNo, ctx.today);
  const found = await ctx.db.selectFrom('persons').selectAll().where('id_no', '=', input.idNo).forUpdate().executeTakeFirst();
  if (found) {
    if (found.name !== input.name)
      throw new AppError('PERSON_NAME_MISMATCH', undefined, [
        { path: 'name', message: '姓名与登记系统中该公民身份号码的姓名不一致，请核对身份证件。' },
      ]);
    const differs = [
      input.hukouRegion && input.hukouRegion !== found.hukou_region
        ? { path: 'hukouRegion', message: `登记系统中此人的户籍地区划为 ${found.hukou_region}，与所填不同。` }
        : null,
      input.residencePermitRegion && input.residencePermitRegion !== found.residence_permit_region
        ? {
            path: 'residencePermitRegion',
            message: found.residence_permit_region
              ? `登记系统中此人的居住证区划为 ${found.residence_permit_region}，与所填不同。`
              : '登记系统中此人没有居住证记录。',
          }
        : null,
    ].filter((x) => x !== null);
    if (differs.length) throw new AppError('PERSON_RECORD_DIFFERS', undefined, differs);
    return { row: found, created: false };
  }
  const f = citizenIdFacts(input.idNo);
  const row = await ctx.db
    .insertInto('persons')
    .values({
      id_no: input.idNo,
      name: input.name,
      sex: f.sex,
      birth_date: f.birthDate,
      hukou_region: input.hukouRegion ?? f.region,
      residence_permit_region: input.residencePermitRegion ?? null,
      phone: null,
      household_id: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordHistory(ctx.db, change(ctx), 'person', row.id, Number(row.id), null, {
    idNo: maskCitizenId(row.id_no),
    name: row.name,
    hukou: row.hukou_region,
    residencePermit: row.residence_permit_region,
  });
  return { row, created: true };
}

const who = (p: { name: string; id_no: string }) => `${p.name}（${maskCitizenId(p.id_no)}）`;

export async function createHousehold(ctx: Ctx, s: PersonScope, personId: number, input: z.output<typeof householdIn>): Promise<void> {
  requireWrite(s);
  const p = await inScope(ctx, s, personId, true);
  if (p.household_id !== null) throw new AppError('PERSON_IN_HOUSEHOLD', '此人已在一个家庭户中；如需另立，请先从原家庭户移出。');
  const h = await ctx.db
    .insertInto('households')
    .values({ address: input.address, agency_code: s.agency, created_by: publisherLabel(ctx), created_at: ctx.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.db.updateTable('persons').set({ household_id: h.id, updated_at: ctx.now }).where('id', '=', p.id).execute();
  await recordHistory(ctx.db, change(ctx), 'household', h.id, Number(p.id), { household: null }, { household: Number(h.id), address: input.address });
  await auditAdmin(ctx, {
    agency: s.agency,
    action: 'household.create',
    subjectKind: 'household',
    subjectId: String(h.id),
    data: { person: Number(p.id), address: input.address },
  });
}

async function householdOf(ctx: Ctx, p: NonNullable<PersonRow>) {
  if (p.household_id === null) throw new AppError('HOUSEHOLD_NOT_FOUND');
  return ctx.db.selectFrom('households').selectAll().where('id', '=', p.household_id).forUpdate().executeTakeFirstOrThrow();
}

export async function updateHousehold(ctx: Ctx, s: PersonScope, personId: number, input: z.output<typeof householdIn>): Promise<void> {
  requireWrite(s);
  const p = await inScope(ctx, s, personId, true);
  const h = await householdOf(ctx, p);
  if (h.address === input.address) return;
  await ctx.db.updateTable('households').set({ address: input.address }).where('id', '=', h.id).execute();
  const members = await ctx.db.selectFrom('persons').select('id').where('household_id', '=', h.id).execute();
  for (const m of members)
    await recordHistory(ctx.db, change(ctx), 'household', h.id, Number(m.id), { address: h.address }, { address: input.address });
  await auditAdmin(ctx, {
    agency: s.agency,
    action: 'household.update',
    subjectKind: 'household',
    subjectId: String(h.id),
    data: { before: h.address, after: input.address },
  });
}

export async function addHouseholdMember(ctx: Ctx, s: PersonScope, personId: number, input: z.output<typeof householdMemberIn>): Promise<void> {
  requireWrite(s);
  const p = await inScope(ctx, s, personId, true);
  const h = await householdOf(ctx, p);
  const { row: m, created } = await resolveOther(ctx, input);
  if (m.household_id !== null)
    throw new AppError(
      'PERSON_IN_HOUSEHOLD',
      Number(m.household_id) === Number(h.id) ? `${m.name} 已是本家庭户成员。` : `${m.name} 已在另一个家庭户中，请先从原家庭户移出。`,
      [{ path: 'idNo', message: Number(m.household_id) === Number(h.id) ? `${m.name} 已是本家庭户成员。` : `${m.name} 已在另一个家庭户中。` }],
    );
  await ctx.db.updateTable('persons').set({ household_id: h.id, updated_at: ctx.now }).where('id', '=', m.id).execute();
  await recordHistory(ctx.db, change(ctx), 'household', h.id, Number(m.id), { household: null }, { household: Number(h.id), address: h.address });
  await auditAdmin(ctx, {
    agency: s.agency,
    action: 'household.member_add',
    subjectKind: 'household',
    subjectId: String(h.id),
    data: { person: Number(m.id), idNo: maskCitizenId(m.id_no), registered: created },
  });
}

export async function removeHouseholdMember(
  ctx: Ctx,
  s: PersonScope,
  personId: number,
  memberId: number,
  input: z.output<typeof removeIn>,
): Promise<void> {
  requireWrite(s);
  const p = await inScope(ctx, s, personId, true);
  const h = await householdOf(ctx, p);
  const m = await ctx.db.selectFrom('persons').selectAll().where('id', '=', memberId).where('household_id', '=', h.id).forUpdate().executeTakeFirst();
  if (!m) throw new AppError('HOUSEHOLD_MEMBER_NOT_FOUND');
  await ctx.db.updateTable('persons').set({ household_id: null, updated_at: ctx.now }).where('id', '=', m.id).execute();
  await recordHistory(
    ctx.db,
    change(ctx),
    'household',
    h.id,
    Number(m.id),
    { household: Number(h.id), address: h.address },
    { removed: true, reason: input.reason },
  );
  await auditAdmin(ctx, {
    agency: s.agency,
    action: 'household.member_remove',
    subjectKind: 'household',
    subjectId: String(h.id),
    data: { person: Number(m.id), idNo: maskCitizenId(m.id_no), reason: input.reason },
  });
}

export async function addGuardian(ctx: Ctx, s: PersonScope, wardId: number, input: z.output<typeof guardianIn>): Promise<void> {
  requireWrite(s);
  // The ward's row lock serialises guardian changes for one ward (the at-most-two-parents check).
  const ward = await inScope(ctx, s, wardId, true);
  checkIdNo(input.idNo, ctx.today);
  if (input.idNo === ward.id_no)
    throw new AppError('GUARDIAN_SELF', undefined, [{ path: 'idNo', message: '监护人不能是被监护人本人，请核对监护人的公民身份号码。' }]);
  const { row: g, created } = await resolveOther(ctx, input);
  const [existing, reverse] = await Promise.all([
    ctx.db.selectFrom('guardians').select(['guardian_id', 'relation']).where('person_id', '=', ward.id).execute(),
    ctx.db.selectFrom('guardians').select('person_id').where('person_id', '=', g.id).where('guardian_id', '=', ward.id).executeTakeFirst(),
  ]);
  const reason = input.incapacity ? (input.incapacityReason ?? '').trim() : '';
  const problem = guardianProblem({
    ward: { id: Number(ward.id), idNo: ward.id_no, name: ward.name },
    guardian: { id: Number(g.id), idNo: g.id_no, name: g.name, status: g.status },
    relation: input.relation,
    incapacityReason: reason || null,
    asOf: ctx.today,
    existing: existing.map((e) => ({ guardianId: Number(e.guardian_id), relation: e.relation })),
    reverse: !!reverse,
  });
  if (problem) throw new AppError(problem.code, problem.problem.message, [problem.problem]);
  const basis: GuardianBasis = reason ? 'incapacity' : 'minor';
  await ctx.db
    .insertInto('guardians')
    .values({
      person_id: ward.id,
      guardian_id: g.id,
      relation: input.relation,
      basis,
      basis_reason: reason || null,
      created_at: ctx.now,
      created_by: publisherLabel(ctx),
    })
    .execute();
  const after = {
    ward: who(ward),
    guardian: who(g),
    relation: GUARDIAN_RELATION_LABELS[input.relation],
    basis: GUARDIAN_BASIS_LABELS[basis],
    ...(reason ? { basisReason: reason } : {}),
  };
  const entityId = `${ward.id}/${g.id}`;
  await recordHistory(ctx.db, change(ctx), 'guardian', entityId, Number(ward.id), null, after);
  await recordHistory(ctx.db, change(ctx), 'guardian', entityId, Number(g.id), null, after);
  await auditAdmin(ctx, {
    agency: s.agency,
    action: 'guardian.add',
    subjectKind: 'person',
    subjectId: String(ward.id),
    data: { guardian: Number(g.id), idNo: maskCitizenId(g.id_no), relation: input.relation, basis, registered: created },
  });
}

export async function removeGuardian(ctx: Ctx, s: PersonScope, wardId: number, guardianId: number, input: z.output<typeof removeIn>): Promise<void> {
  requireWrite(s);
  const ward = await inScope(ctx, s, wardId, true);
  const gone = await ctx.db
    .deleteFrom('guardians')
    .where('person_id', '=', ward.id)
    .where('guardian_id', '=', guardianId)
    .returning(['relation', 'basis', 'basis_reason'])
    .executeTakeFirst();
  if (!gone) throw new AppError('GUARDIAN_NOT_FOUND');
  const g = (await personRow(ctx.db, guardianId))!;
  const before = {
    ward: who(ward),
    guardian: who(g),
    relation: GUARDIAN_RELATION_LABELS[gone.relation as GuardianRelation] ?? gone.relation,
    basis: GUARDIAN_BASIS_LABELS[gone.basis as GuardianBasis] ?? gone.basis,
  };
  const entityId = `${ward.id}/${g.id}`;
  for (const pid of [Number(ward.id), Number(g.id)])
    await recordHistory(ctx.db, change(ctx), 'guardian', entityId, pid, before, { removed: true, reason: input.reason });
  await auditAdmin(ctx, {
    agency: s.agency,
    action: 'guardian.remove',
    subjectKind: 'person',
    subjectId: String(ward.id),
    data: { guardian: Number(g.id), reason: input.reason },
  });
}
