/**
 * The registry: plain Kysely functions (db/trx first). Every change writes a `registry_history`
 * row with the before and after, who made it, and the case that caused it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { ContributionRecord, EnrolmentRecord, PersonSnapshot } from '../../../common/registry.ts';
import { citizenIdFacts } from '../../../common/ids.ts';
import { lockoutLastDay } from '../../../common/admin.ts';
import { graceWindows } from '../emergency/regime.ts';

export type Db = Kysely<DB> | Transaction<DB>;

export interface Change {
  at: Date;
  effectiveFrom: string;
  actorLabel: string;
  caseId?: number | null;
}

export async function recordHistory(
  db: Db,
  ch: Change,
  entity: string,
  entityId: string | number,
  personId: number | null,
  before: unknown,
  after: unknown,
): Promise<void> {
  await db
    .insertInto('registry_history')
    .values({
      at: ch.at,
      effective_from: ch.effectiveFrom,
      actor_label: ch.actorLabel,
      entity,
      entity_id: String(entityId),
      person_id: personId,
      change: JSON.stringify({ before, after }),
      case_id: ch.caseId ?? null,
    })
    .execute();
}

export function personByIdNo(db: Db, idNo: string) {
  return db.selectFrom('persons').selectAll().where('id_no', '=', idNo.toUpperCase()).executeTakeFirst();
}

/** Find the person or register them from the facts the 公民身份号码 itself carries. */
export async function ensurePerson(
  db: Db,
  ch: Change,
  p: { idNo: string; name: string; phone?: string | null; hukouRegion?: string | null; residencePermitRegion?: string | null },
): Promise<number> {
  const found = await personByIdNo(db, p.idNo);
  if (found) return Number(found.id);
  const f = citizenIdFacts(p.idNo);
  const row = await db
    .insertInto('persons')
    .values({
      id_no: p.idNo.toUpperCase(),
      name: p.name,
      sex: f.sex,
      birth_date: f.birthDate,
      hukou_region: p.hukouRegion ?? f.region,
      residence_permit_region: p.residencePermitRegion ?? null,
      phone: p.phone ?? null,
      household_id: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordHistory(db, ch, 'person', row.id, Number(row.id), null, { idNo: row.id_no, name: row.name, hukou: row.hukou_region });
  return Number(row.id);
}

const fen = (n: number | string | null) => (n === null ? null : Number(n) / 100);

/** One person's registry as of a date, in the shape rules and calculators read. */
export async function snapshot(db: Db, idNo: string, agencyCode: string, asOf: string): Promise<PersonSnapshot> {
  const p = await personByIdNo(db, idNo);
  const empty: PersonSnapshot = {
    asOf,
    agencyCode,
    person: null,
    enrolments: [],
    contributions: [],
    account: null,
    remoteFilings: [],
    chronicCerts: [],
    lockouts: [],
    unit: null,
  };
  if (!p) return empty;
  const pid = Number(p.id);
  const [enrols, contribs, account, filings, certs, locks, paid, guardians] = await Promise.all([
    db
      .selectFrom('enrolments as e')
      .leftJoin('units as u', 'u.id', 'e.unit_id')
      .select([
        'e.type',
        'e.agency_code',
        'e.status',
        'e.start_date',
        'e.end_date',
        'e.employment',
        'u.uscc',
        'u.name as unit_name',
        'u.status as unit_status',
        'u.avg_monthly_wage_fen',
      ])
      .where('e.person_id', '=', pid)
      .where('e.start_date', '<=', asOf)
      .orderBy('e.start_date')
      .execute(),
    db.selectFrom('contributions').selectAll().where('person_id', '=', pid).where('month', '<=', asOf.slice(0, 7)).orderBy('month').execute(),
    db.selectFrom('personal_accounts').selectAll().where('person_id', '=', pid).where('agency_code', '=', agencyCode).executeTakeFirst(),
    db.selectFrom('remote_filings').selectAll().where('person_id', '=', pid).execute(),
    db.selectFrom('chronic_certs').selectAll().where('person_id', '=', pid).where('agency_code', '=', agencyCode).execute(),
    db.selectFrom('lockouts').selectAll().where('person_id', '=', pid).execute(),
    db
      .selectFrom('payments as p')
      .innerJoin('cases as c', 'c.id', 'p.case_id')
      .select(['p.kind', 'p.amount_fen', 'p.created_at', 'c.item_code'])
      .where('p.person_id', '=', pid)
      .where('p.agency_code', '=', agencyCode)
      .execute(),
    db
      .selectFrom('guardians as g')
      .innerJoin('persons as gp', 'gp.id', 'g.guardian_id')
      .select(['g.relation', 'gp.name', 'gp.hukou_region', 'gp.residence_permit_region', 'gp.status'])
      .where('g.person_id', '=', pid)
      .orderBy('g.created_at')
      .execute(),
  ]);
  const enrolments: EnrolmentRecord[] = enrols.map((e) => ({
    type: e.type as EnrolmentRecord['type'],
    agencyCode: e.agency_code,
    unitUscc: e.uscc ?? null,
    status: e.status as EnrolmentRecord['status'],
    start: e.start_date,
    end: e.end_date,
    ...(e.employment ? { employment: e.employment as 'employed' | 'flexible' | 'retired' } : {}),
  }));
  const current = enrols.filter((e) => e.type === 'employee' && e.uscc && (e.end_date === null || e.end_date >= asOf)).at(-1);
  // Emergency regimes' grace for late contributions at the agencies the person paid to.
  const grace = await graceWindows(db, [...new Set(contribs.map((c) => c.agency_code))], asOf);
  return {
    ...empty,
    person: {
      idNo: p.id_no,
      name: p.name,
      sex: p.sex as 'M' | 'F',
      birthDate: p.birth_date,
      hukouRegion: p.hukou_region,
      residencePermitRegion: p.residence_permit_region,
      status: p.status as 'normal' | 'deceased',
      phone: p.phone,
      badCredit: p.bad_credit,
    },
    enrolments,
    contributions: contribs.map((c): ContributionRecord => ({
      month: c.month,
      type: c.type as ContributionRecord['type'],
      agencyCode: c.agency_code,
      base: fen(c.base_fen)!,
      amount: fen(c.amount_fen)!,
      paid: c.paid,
      paidOn: c.paid_on,
    })),
    ...(grace.length ? { graceWindows: grace } : {}),
    account: account ? { agencyCode, balance: fen(account.balance_fen)! } : null,
    remoteFilings: filings.map((f) => ({
      kind: f.kind as PersonSnapshot['remoteFilings'][number]['kind'],
      destination: f.destination,
      validFrom: f.valid_from,
      validTo: f.valid_to,
      pledgeDue: f.pledge_due,
    })),
    chronicCerts: certs.map((c) => ({ disease: c.disease, from: c.valid_from, to: c.valid_to })),
    // A lock-out lifted early applies up to the day before `lifted_on`; lifted before it began, not at all.
    lockouts: locks.flatMap((l) => {
      const last = lockoutLastDay({ from: l.from_date, to: l.to_date, liftedOn: l.lifted_on });
      return last === null ? [] : [{ from: l.from_date, to: last, reason: l.reason }];
    }),
    guardians: guardians.map((g) => ({
      relation: g.relation as 'parent' | 'other',
      name: g.name,
      hukouRegion: g.hukou_region,
      residencePermitRegion: g.residence_permit_region,
      status: g.status as 'normal' | 'deceased',
    })),
    paidBenefits: paid.map((x) => ({
      benefit: x.kind,
      itemCode: x.item_code,
      date: new Date(new Date(x.created_at).getTime() + 8 * 3600_000).toISOString().slice(0, 10),
      amount: fen(x.amount_fen)!,
    })),
    unit: current
      ? {
          uscc: current.uscc!,
          name: current.unit_name ?? '',
          status: (current.unit_status ?? 'normal') as 'normal' | 'cancelled',
          avgMonthlyWage: fen(current.avg_monthly_wage_fen ?? null),
        }
      : null,
  };
}
