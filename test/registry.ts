/** Registry fixtures for tests: persons, enrolments, contributions and accounts written directly, as the registry holds them. */
import type { Kysely } from 'kysely';
import type { DB } from '../server/db/types.ts';
import { addMonthsYm } from '../common/registry.ts';
import { citizenIdFacts } from '../common/ids.ts';
import { forgetBenefitParams } from '../server/modules/benefits/index.ts';
import { monthsAgo } from './clock.ts';

type ContribType = 'employee' | 'resident' | 'maternity';
/**
 * Contributions of one type, either at fixed months (`from` for `months` months: history whose
 * months matter in themselves, or a test on its own fixed clock) or relative to a clock
 * (`lastMonths`: the N months up to last month of the clock's date — "paid every month until now";
 * the clock defaults to TEST_NOW's, pass the server's `s.clock`). `unpaid` lists months in arrears
 * (use monthsAgo(n, s.clock) for relative ones).
 */
export type ContributionsInput =
  | { type: ContribType; from: string; months: number; baseYuan: number; unpaid?: string[] }
  | { type: ContribType; lastMonths: number; baseYuan: number; clock?: { now(): Date }; unpaid?: string[] };

/** The first month of a contributions input. */
export function contributionsFrom(c: ContributionsInput): { from: string; months: number } {
  return 'lastMonths' in c ? { from: monthsAgo(c.lastMonths, c.clock), months: c.lastMonths } : { from: c.from, months: c.months };
}

/** An employer already registered with an agency, with the average monthly wage the 生育津贴 is based on. */
export async function seedUnit(db: Kysely<DB>, u: { uscc: string; name: string; agency: string; avgWageFen: number }): Promise<number> {
  const row = await db
    .insertInto('units')
    .values({ uscc: u.uscc, name: u.name, avg_monthly_wage_fen: u.avgWageFen, agency_code: u.agency })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function seedPerson(
  db: Kysely<DB>,
  p: {
    idNo: string;
    name: string;
    agency: string;
    hukouRegion?: string;
    residencePermitRegion?: string | null;
    /** The mobile number the registry holds (预留手机号): identity codes go there. */
    phone?: string | null;
    enrol?: {
      type: 'employee' | 'resident' | 'maternity';
      status?: 'active' | 'suspended' | 'terminated';
      start: string;
      unitId?: number | null;
      employment?: 'employed' | 'flexible' | 'retired';
    }[];
    /** Paid months per type (see ContributionsInput); `unpaid` lists months in arrears. */
    contributions?: ContributionsInput[];
    accountYuan?: number;
  },
): Promise<number> {
  const f = citizenIdFacts(p.idNo);
  const person = await db
    .insertInto('persons')
    .values({
      id_no: p.idNo,
      name: p.name,
      sex: f.sex,
      birth_date: f.birthDate,
      hukou_region: p.hukouRegion ?? f.region,
      residence_permit_region: p.residencePermitRegion ?? null,
      phone: p.phone ?? null,
      household_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(person.id);
  for (const e of p.enrol ?? [])
    await db
      .insertInto('enrolments')
      .values({
        person_id: id,
        agency_code: p.agency,
        type: e.type,
        unit_id: e.unitId ?? null,
        status: e.status ?? 'active',
        start_date: e.start,
        end_date: null,
        case_id: null,
        employment: e.employment ?? null,
      })
      .execute();
  for (const c of p.contributions ?? []) {
    const { from, months } = contributionsFrom(c);
    const last = addMonthsYm(from, months - 1);
    for (const u of c.unpaid ?? []) if (u < from || u > last) throw new Error(`seedPerson: unpaid month ${u} is outside ${from}…${last}`);
    const rows = Array.from({ length: months }, (_, i) => {
      const month = addMonthsYm(from, i);
      const paid = !(c.unpaid ?? []).includes(month);
      return {
        person_id: id,
        type: c.type,
        month,
        agency_code: p.agency,
        base_fen: c.baseYuan * 100,
        amount_fen: Math.round(c.baseYuan * 100 * 0.08),
        paid,
        paid_on: paid ? `${month}-15` : null,
      };
    });
    if (rows.length) await db.insertInto('contributions').values(rows).execute();
  }
  if (p.accountYuan !== undefined)
    await db
      .insertInto('personal_accounts')
      .values({ person_id: id, agency_code: p.agency, balance_fen: Math.round(p.accountYuan * 100) })
      .execute();
  return id;
}

/**
 * The agency admin enters the 生育津贴 days its seed does not state (海城, 抚顺, 山东 give none),
 * as a new parameter version; the unit's average wage is set for the person's employer.
 */
export async function enterAllowanceDays(
  db: Kysely<DB>,
  agency: string,
  days: { natural: number; caesarean: number; male_nursing?: number },
): Promise<void> {
  await enterBenefitParams(db, agency, 'maternity_allowance', { days });
}

/** The agency admin publishes its own numbers for a benefit (replacing example parameters) as a new version. */
export async function enterBenefitParams(db: Kysely<DB>, agency: string, benefit: string, patch: Record<string, unknown>): Promise<void> {
  const rows = await db.selectFrom('benefit_params').select('doc').where('agency_code', '=', agency).orderBy('id', 'desc').limit(1).execute();
  const params = (rows[0]?.doc as Record<string, unknown>[]) ?? [];
  const next = params.map((p) =>
    p.benefit === benefit
      ? { ...p, ...patch, version: Number(p.version) + 1, source: '经办机构录入（测试）', example: false, note: '测试中由机构管理员录入' }
      : p,
  );
  await db
    .insertInto('benefit_params')
    .values({ agency_code: agency, doc: JSON.stringify(next), source_hash: `test-${Date.now()}-${Math.random()}` })
    .execute();
  // Written beside the server (it runs in this process): it forgets its cached parameters as after a publish.
  forgetBenefitParams(agency);
}
