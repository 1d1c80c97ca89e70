/**
 * The registry: plain Kysely functions (db/trx first). Every change writes a `registry_history`
 * row with the before and after, who made it, and the case that caused it.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { ContributionRecord, EnrolmentRecord, PersonSnapshot } from '../../../common/registry.ts';
import { citizenIdFacts } from '../../../common/ids.ts';
import { lockoutLastDay } from '../../../common/admin.ts';
import { graceWindowsOf } from '../../../common/emergency.ts';

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

/** The rows snapshot() reads, fetched in one statement (one round trip instead of ten). */
interface SnapshotRow {
  id: number;
  id_no: string;
  name: string;
  sex: string;
  birth_date: string;
  hukou_region: string;
  residence_permit_region: string | null;
  status: string;
  phone: string | null;
  bad_credit: boolean;
  enrols: {
    type: string;
    agency_code: string;
    status: string;
    start_date: string;
    end_date: string | null;
    employment: string | null;
    uscc: string | null;
    unit_name: string | null;
    unit_status: string | null;
    avg_monthly_wage_fen: number | null;
  }[];
  contribs: {
    month: string;
    type: string;
    agency_code: string;
    base_fen: number;
    amount_fen: number;
    paid: boolean;
    paid_on: string | null;
  }[];
  account: { balance_fen: number } | null;
  filings: { kind: string; destination: string; valid_from: string; valid_to: string | null; pledge_due: string | null }[];
  certs: { disease: string; valid_from: string; valid_to: string | null }[];
  locks: { from_date: string; to_date: string; lifted_on: string | null; reason: string }[];
  paid: { kind: string; amount_fen: number; created_at: string; item_code: string }[];
  guardians: { relation: string; name: string; hukou_region: string; residence_permit_region: string | null; status: string }[];
  periods: { agency_code: string; regime_id: number; doc: unknown; start_date: string; end_date: string | null; off_on: string | null }[];
}

/** One person's registry as of a date, in the shape rules and calculators read. */
export async function snapshot(db: Db, idNo: string, agencyCode: string, asOf: string): Promise<PersonSnapshot> {
  const ym = asOf.slice(0, 7);
  const r = await sql<SnapshotRow>`
    select p.id, p.id_no, p.name, p.sex, p.birth_date, p.hukou_region, p.residence_permit_region, p.status, p.phone, p.bad_credit,
      coalesce((select json_agg(json_build_object('type', e.type, 'agency_code', e.agency_code, 'status', e.status,
          'start_date', e.start_date, 'end_date', e.end_date, 'employment', e.employment, 'uscc', u.uscc, 'unit_name', u.name,
          'unit_status', u.status, 'avg_monthly_wage_fen', u.avg_monthly_wage_fen) order by e.start_date)
        from enrolments e left join units u on u.id = e.unit_id where e.person_id = p.id and e.start_date <= ${asOf}), '[]') as enrols,
      coalesce((select json_agg(json_build_object('month', c.month, 'type', c.type, 'agency_code', c.agency_code,
          'base_fen', c.base_fen, 'amount_fen', c.amount_fen, 'paid', c.paid, 'paid_on', c.paid_on) order by c.month)
        from contributions c where c.person_id = p.id and c.month <= ${ym}), '[]') as contribs,
      (select json_build_object('balance_fen', a.balance_fen) from personal_accounts a
        where a.person_id = p.id and a.agency_code = ${agencyCode} limit 1) as account,
      coalesce((select json_agg(json_build_object('kind', f.kind, 'destination', f.destination, 'valid_from', f.valid_from,
          'valid_to', f.valid_to, 'pledge_due', f.pledge_due) order by f.id)
        from remote_filings f where f.person_id = p.id), '[]') as filings,
      coalesce((select json_agg(json_build_object('disease', k.disease, 'valid_from', k.valid_from, 'valid_to', k.valid_to) order by k.id)
        from chronic_certs k where k.person_id = p.id and k.agency_code = ${agencyCode}), '[]') as certs,
      coalesce((select json_agg(json_build_object('from_date', l.from_date, 'to_date', l.to_date, 'lifted_on', l.lifted_on,
          'reason', l.reason) order by l.id)
        from lockouts l where l.person_id = p.id), '[]') as locks,
      coalesce((select json_agg(json_build_object('kind', y.kind, 'amount_fen', y.amount_fen, 'created_at', y.created_at,
          'item_code', cs.item_code) order by y.id)
        from payments y join cases cs on cs.id = y.case_id where y.person_id = p.id and y.agency_code = ${agencyCode}), '[]') as paid,
      coalesce((select json_agg(json_build_object('relation', g.relation, 'name', gp.name, 'hukou_region', gp.hukou_region,
          'residence_permit_region', gp.residence_permit_region, 'status', gp.status) order by g.created_at)
        from guardians g join persons gp on gp.id = g.guardian_id where g.person_id = p.id), '[]') as guardians,
      -- emergency regimes of the agencies the person paid to, for their contribution grace windows
      coalesce((select json_agg(json_build_object('agency_code', ep.agency_code, 'regime_id', ep.regime_id, 'doc', er.doc,
          'start_date', ep.start_date, 'end_date', ep.end_date, 'off_on', ep.off_on) order by ep.id)
        from emergency_periods ep join emergency_regimes er on er.id = ep.regime_id
        where ep.start_date <= ${asOf}
          and ep.agency_code in (select distinct c2.agency_code from contributions c2 where c2.person_id = p.id and c2.month <= ${ym})), '[]') as periods
    from persons p where p.id_no = ${idNo.toUpperCase()}`.execute(db);
  const p = r.rows[0];
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
  const { enrols, contribs, account, filings, certs, locks, paid, guardians } = p;
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
  const grace = graceWindowsOf(p.periods);
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
