/**
 * Data generator for benchmarks: `npm run gen -- --persons N --units M --cases K --seed S [--today YYYY-MM-DD] [--reset]`.
 *
 * Fills the configured database (DATABASE_URL, or the embedded one under PGLITE_DIR, like the server)
 * with a reproducible population spread over the five agencies:
 *   - units (valid USCC) and persons (valid 公民身份号码, names, phones), in batched multi-row INSERTs;
 *   - one enrolment per person (employees of a unit, else 城乡居民), a personal account, and
 *     `--years` (default 5) of monthly contributions up to the previous month — generated inside the
 *     database with generate_series, a chunk of persons per statement, so 60 million rows never cross
 *     the wire; about 2 % of persons owe their last 1–3 months;
 *   - citizen accounts for a quarter as many persons as cases, 20 staff per agency;
 *   - cases over every in-force item and every workflow state, with consistent timestamps, due dates
 *     on the agency's working calendar, timeline events, clock events and hash-chained audit entries;
 *     case numbers use the live format and the live sequence is moved past them.
 *
 * Reproducible: the same arguments (including --today, which defaults to the run date) give the same
 * rows (a mulberry32 PRNG for the JavaScript side, a multiplicative hash of the seed and the row for
 * the SQL side). Refuses to run on a database that already holds persons unless `--reset` is given,
 * which empties the registry, case and audit tables first (never on a production database).
 * Generated accounts share one password, `Gen-Yibao-2026`; staff TOTP secrets are base32(sha1("gen:<seed>:<login>")).
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sql, type Insertable, type Kysely } from 'kysely';
import { citizenIdCheckChar, usccCheckChar } from '../../common/ids.ts';
import { addMonthsYm } from '../../common/registry.ts';
import type { WorkCalendar } from '../../common/calendar.ts';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { DB } from '../db/types.ts';
import { base32Encode, hashPassword } from '../modules/accounts/index.ts';
import { auditSetup, GENESIS, lastSealed, sealedColumns } from '../modules/audit/index.ts';
import { seedFromDir } from '../modules/catalog/index.ts';
import { formatCaseNo } from '../modules/cases/index.ts';
import { loadCalendar, seedCalendar } from '../modules/calendar/index.ts';
import { seedRules } from '../modules/rules/index.ts';
import { seedBenefitParams } from '../modules/benefits/index.ts';
import { chinaDate, systemClock } from '../platform/clock.ts';
import { mulberry32 } from './prng.ts';

export const GEN_PASSWORD = 'Gen-Yibao-2026';
const STAFF_PER_AGENCY = 20;

export interface GenOptions {
  persons: number;
  units: number;
  cases: number;
  seed: number;
  years: number;
  today: string;
  reset?: boolean;
  log?: (msg: string) => void;
}
export interface GenReport {
  persons: number;
  units: number;
  contributions: number;
  cases: number;
  events: number;
  audit: number;
  users: number;
  ms: Record<string, number>;
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国峰宇浩凯鑫波斌宁燕琳雪梅丹倩颖婷慧晨阳晶博文彬志刚海燕';

type AgencySpec = { code: string; region: string; mobilePrefix: string };

async function agencies(db: Kysely<DB>): Promise<AgencySpec[]> {
  const rows = await db.selectFrom('agencies').select(['code', 'region_code']).orderBy('code').execute();
  return rows.map((r, i) => ({ code: r.code, region: r.region_code, mobilePrefix: `13${i}` }));
}

/** A 公民身份号码 unique for row i: region × birth day × sequence, with its check character. */
export function personIdNo(i: number, regions: readonly string[]): { idNo: string; birth: string; sex: 'M' | 'F'; region: string } {
  const region = regions[i % regions.length]!;
  const k = Math.floor(i / regions.length);
  const day = k % 21915; // 60 years of birth dates from 1946-01-01
  const seq = Math.floor(k / 21915); // 0..999 → 21.9 million persons per region
  const d = new Date(Date.UTC(1946, 0, 1) + day * 86400_000);
  const birth = d.toISOString().slice(0, 10);
  const first17 = `${region}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  const sex = Number(first17[16]) % 2 === 1 ? 'M' : 'F';
  return { idNo: first17 + citizenIdCheckChar(first17), birth, sex, region };
}

function uscc(i: number, region: string): string {
  const body = `91${region}${String(i).padStart(9, '0')}`;
  // The organisation code's 9 characters are digits here; the check character always exists for digits.
  return body + usccCheckChar(body)!;
}

async function insertBatched<T extends keyof DB & string>(db: Kysely<DB>, table: T, rows: Insertable<DB[T]>[], per: number): Promise<void> {
  for (let i = 0; i < rows.length; i += per)
    await db
      .insertInto(table)
      .values(rows.slice(i, i + per) as never)
      .execute();
}

export async function generate(db: Kysely<DB>, o: GenOptions): Promise<GenReport> {
  const log = o.log ?? (() => {});
  const ms: Record<string, number> = {};
  const timed = async <R>(name: string, fn: () => Promise<R>): Promise<R> => {
    const t0 = performance.now();
    const r = await fn();
    ms[name] = Math.round(performance.now() - t0);
    log(`${name}: ${ms[name]} ms`);
    return r;
  };
  const existing = await db
    .selectFrom('persons')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  if (existing.n > 0 && !o.reset)
    throw new Error(`the database already holds ${existing.n} persons; pass --reset to empty the registry, case and audit tables first`);
  if (o.reset)
    await timed('reset', async () => {
      // The audit log is append-only (a trigger refuses TRUNCATE): a bench database is emptied by its owner.
      await sql`alter table audit_log disable trigger user`.execute(db);
      await sql`truncate audit_log restart identity`.execute(db);
      await sql`alter table audit_log enable trigger user`.execute(db);
      // …and the chain's checkpoints outside the database go with it (they would report it truncated).
      const checkpoints = auditSetup().checkpointFile;
      if (checkpoints) rmSync(checkpoints, { force: true });
      await sql`truncate case_clock_events, case_events, case_materials, documents, case_bills, transfers, payments, jobs, outbox,
        registry_history, account_ledger, personal_accounts, contributions, enrolments, remote_filings, chronic_certs, lockouts,
        guardians, base_declarations, roster_uploads, authorisations, sessions, cases restart identity cascade`.execute(db);
      await sql`delete from users where kind <> 'staff' or login like 'gen-%'`.execute(db);
      await sql`truncate persons, households restart identity cascade`.execute(db);
      await sql`delete from units`.execute(db);
    });

  const rand = mulberry32(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const ags = await agencies(db);
  const regions = ags.map((a) => a.region);
  const pwd = await hashPassword(GEN_PASSWORD);

  // Units: spread over the agencies, each with an average monthly wage (the 生育津贴 base).
  const unitBase = Number(
    (
      await db
        .selectFrom('units')
        .select(sql<number>`coalesce(max(id), 0)::int`.as('m'))
        .executeTakeFirstOrThrow()
    ).m,
  );
  await timed('units', async () => {
    const rows: Insertable<DB['units']>[] = [];
    for (let i = 0; i < o.units; i++) {
      const a = ags[i % ags.length]!;
      rows.push({
        id: unitBase + i + 1,
        uscc: uscc(i, a.region),
        name: `${pick(['宏远', '华信', '东方', '金石', '恒泰', '瑞丰', '德胜', '新兴'])}${pick(['科技', '机械', '商贸', '建设', '物流', '食品'])}有限公司${i + 1}`,
        legal_rep: pick([...SURNAMES]) + pick([...GIVEN]),
        agency_code: a.code,
        avg_monthly_wage_fen: (4000 + Math.floor(rand() * 8000)) * 100,
      });
    }
    await insertBatched(db, 'units', rows, 2000);
    if (o.units) await sql`select setval(pg_get_serial_sequence('units', 'id'), (select max(id) from units))`.execute(db);
  });

  // Persons: ID numbers unique by construction; the agency follows the region.
  await timed('persons', async () => {
    const per = 3000; // 9 columns: ≤ 32,767 parameters per statement (PGlite)
    for (let start = 0; start < o.persons; start += per) {
      const rows: Insertable<DB['persons']>[] = [];
      for (let i = start; i < Math.min(o.persons, start + per); i++) {
        const p = personIdNo(i, regions);
        const a = ags[i % ags.length]!;
        rows.push({
          id: i + 1,
          id_no: p.idNo,
          name: pick([...SURNAMES]) + pick([...GIVEN]) + (rand() < 0.5 ? pick([...GIVEN]) : ''),
          sex: p.sex,
          birth_date: p.birth,
          hukou_region: p.region,
          phone: `${a.mobilePrefix}${String(i % 100_000_000).padStart(8, '0')}`,
          bad_credit: rand() < 0.002,
        });
      }
      await db.insertInto('persons').values(rows).execute();
    }
    if (o.persons) await sql`select setval(pg_get_serial_sequence('persons', 'id'), ${o.persons})`.execute(db);
  });

  // Enrolments, accounts and contributions, inside the database: person i belongs to agency i mod 5
  // (ordered by code), works for a unit of that agency unless h(i) says 城乡居民, and owes its last
  // 1–3 months when h(i) falls in the 2 % band. h = a multiplicative hash of the seed and the id.
  const firstMonth = addMonthsYm(o.today.slice(0, 7), -12 * o.years);
  const months = 12 * o.years;
  const agencyArr = sql.raw(`array[${ags.map((a) => `'${a.code}'`).join(',')}]::text[]`);
  const h = (col: string) => sql.raw(`floor(((${col}::bigint * 2654435761 + ${o.seed >>> 0}) % 4294967296) / 42949672.96)::int`); // 0..99
  const nAg = ags.length;
  const unitsPerAgency = Math.floor(o.units / nAg);
  await timed('enrolments', async () => {
    const chunk = 200_000;
    for (let lo = 1; lo <= o.persons; lo += chunk) {
      const hi = Math.min(o.persons, lo + chunk - 1);
      await sql`
        insert into enrolments (person_id, agency_code, type, unit_id, status, start_date, employment)
        select p.id, (${agencyArr})[((p.id - 1) % ${nAg}) + 1],
               case when ${h('p.id')} < 70 and ${unitsPerAgency} > 0 then 'employee' else 'resident' end,
               case when ${h('p.id')} < 70 and ${unitsPerAgency} > 0
                    then ${unitBase} + ((((p.id - 1) / ${nAg}) % greatest(${unitsPerAgency}, 1)) * ${nAg}) + ((p.id - 1) % ${nAg}) + 1 end,
               'active', ${firstMonth + '-01'}::date,
               case when ${h('p.id')} < 70 and ${unitsPerAgency} > 0
                    then case when p.birth_date < ${o.today}::date - interval '60 years' then 'retired' else 'employed' end end
        from persons p where p.id between ${lo} and ${hi}`.execute(db);
      await sql`
        insert into personal_accounts (person_id, agency_code, balance_fen)
        select p.id, (${agencyArr})[((p.id - 1) % ${nAg}) + 1], (${h('p.id')} * 3117 + 5000)::bigint
        from persons p where p.id between ${lo} and ${hi}`.execute(db);
    }
  });
  await timed('contributions', async () => {
    const chunk = Math.max(1, Math.floor(2_000_000 / months)); // ≈ 2 million rows per statement
    for (let lo = 1; lo <= o.persons; lo += chunk) {
      const hi = Math.min(o.persons, lo + chunk - 1);
      await sql`
        insert into contributions (person_id, type, month, agency_code, base_fen, amount_fen, paid, paid_on)
        select e.person_id, e.type, to_char(${firstMonth + '-01'}::date + (m || ' month')::interval, 'YYYY-MM'), e.agency_code,
               coalesce(u.avg_monthly_wage_fen, 360000),
               case when e.type = 'employee' then coalesce(u.avg_monthly_wage_fen, 360000) * 8 / 100 else 38000 end,
               not (${h('e.person_id')} >= 98 and m >= ${months} - 1 - (e.person_id % 3)),
               case when ${h('e.person_id')} >= 98 and m >= ${months} - 1 - (e.person_id % 3) then null
                    else (${firstMonth + '-01'}::date + (m || ' month')::interval + interval '14 days')::date end
        from enrolments e
        left join units u on u.id = e.unit_id
        cross join generate_series(0, ${months - 1}) m
        where e.person_id between ${lo} and ${hi}`.execute(db);
      if ((lo - 1) % (chunk * 50) === 0) log(`  contributions: persons ${lo}–${hi}`);
    }
  });

  // Accounts: citizens (the first U persons) and 20 staff per agency.
  const citizenCount = Math.min(o.persons, Math.max(1, Math.ceil(o.cases / 4)));
  const citizenIds: number[] = [];
  await timed('users', async () => {
    const userBase = Number(
      (
        await db
          .selectFrom('users')
          .select(sql<number>`coalesce(max(id), 0)::int`.as('m'))
          .executeTakeFirstOrThrow()
      ).m,
    );
    const rows: Insertable<DB['users']>[] = [];
    for (let i = 0; i < citizenCount; i++) {
      const p = personIdNo(i, regions);
      const id = userBase + i + 1;
      citizenIds.push(id);
      rows.push({
        id,
        kind: 'citizen',
        login: `gen-c${i + 1}`,
        mobile: `19${String(i).padStart(9, '0')}`,
        password_hash: pwd,
        name: `参保人${i + 1}`,
        id_no: p.idNo,
      });
    }
    await insertBatched(db, 'users', rows, 3000);
    const staff: Insertable<DB['users']>[] = [];
    let n = userBase + citizenCount;
    for (const a of ags)
      for (let k = 1; k <= STAFF_PER_AGENCY; k++) {
        const login = `gen-${a.code}-${k}`;
        staff.push({
          id: ++n,
          kind: 'staff',
          login,
          password_hash: pwd,
          name: `${a.code}经办${k}`,
          agency_code: a.code,
          roles: k === 1 ? ['agency_admin', 'supervisor'] : k % 3 === 0 ? ['reviewer', 'rechecker'] : ['acceptor', 'reviewer'],
          totp_secret: base32Encode(createHash('sha1').update(`gen:${o.seed}:${login}`).digest()),
        });
      }
    await insertBatched(db, 'users', staff, 1000);
    await sql`select setval(pg_get_serial_sequence('users', 'id'), (select max(id) from users))`.execute(db);
  });
  // Names as generated above: read back the applicants' names so the cases match the registry.
  const staffByAgency = new Map<string, number[]>();
  for (const u of await db.selectFrom('users').select(['id', 'agency_code']).where('login', 'like', 'gen-%').where('kind', '=', 'staff').execute())
    staffByAgency.set(u.agency_code!, [...(staffByAgency.get(u.agency_code!) ?? []), Number(u.id)]);

  // Items in force per agency, their limits, and the offices.
  const items = await db
    .selectFrom('item_versions as iv')
    .innerJoin('catalog_versions as cv', 'cv.id', 'iv.catalog_version_id')
    .select(['iv.id', 'iv.item_id', 'iv.agency_code', 'iv.code', 'iv.name', 'iv.time_limit_kind', 'iv.time_limit_value', 'iv.time_limit_unit'])
    .where('cv.status', '=', 'published')
    .where('cv.effective_from', '<=', o.today)
    .where(({ eb, selectFrom }) =>
      eb(
        'cv.version',
        '=',
        selectFrom('catalog_versions as c2')
          .select(sql<number>`max(c2.version)`.as('v'))
          .whereRef('c2.agency_code', '=', 'cv.agency_code')
          .where('c2.status', '=', 'published')
          .where('c2.effective_from', '<=', o.today),
      ),
    )
    .orderBy('iv.agency_code')
    .orderBy('iv.seq')
    .execute();
  const itemsByAgency = new Map<string, typeof items>();
  for (const it of items) itemsByAgency.set(it.agency_code, [...(itemsByAgency.get(it.agency_code) ?? []), it]);
  const officesByAgency = new Map<string, number[]>();
  for (const of of await db.selectFrom('offices').select(['id', 'agency_code']).orderBy('id').execute())
    officesByAgency.set(of.agency_code, [...(officesByAgency.get(of.agency_code) ?? []), Number(of.id)]);
  const cals = new Map<string, WorkCalendar>();
  for (const a of ags) cals.set(a.code, await loadCalendar(db, a.region));

  const applicantNames = new Map<number, { name: string; idNo: string; phone: string | null }>();
  for (let lo = 1; lo <= citizenCount; lo += 20000)
    for (const p of await db
      .selectFrom('persons')
      .select(['id', 'name', 'id_no', 'phone'])
      .where('id', '>=', lo)
      .where('id', '<', lo + 20000)
      .where('id', '<=', citizenCount)
      .execute())
      applicantNames.set(Number(p.id), { name: p.name, idNo: p.id_no, phone: p.phone });

  // Cases, their events, clock events and audit entries.
  const stats = { cases: 0, events: 0, audit: 0 };
  await timed('cases', async () => {
    const caseBase = Number(
      (
        await db
          .selectFrom('cases')
          .select(sql<number>`coalesce(max(id), 0)::int`.as('m'))
          .executeTakeFirstOrThrow()
      ).m,
    );
    // Audit entries are written sealed, continuing the chain after the last sealed entry.
    let auditId = Number((await sql<{ m: number }>`select coalesce(max(id), 0) as m from audit_log`.execute(db)).rows[0]!.m);
    const sealed = await lastSealed(db);
    let auditSeq = sealed ? Number(sealed.seq) : 0;
    let prevHash = sealed?.hash ?? GENESIS;
    const auditKeys = auditSetup().keys;
    // Case numbers as the live service makes them: the submission day and the next serial of case_no_seq.
    const seqState = (await sql<{ last_value: number; is_called: boolean }>`select last_value, is_called from case_no_seq`.execute(db)).rows[0]!;
    let serial = Number(seqState.last_value) - (seqState.is_called ? 0 : 1);
    const todayMs = Date.parse(o.today + 'T00:00:00Z');
    const per = 1000;
    for (let start = 0; start < o.cases; start += per) {
      const cases: Insertable<DB['cases']>[] = [];
      const events: Insertable<DB['case_events']>[] = [];
      const clocks: Insertable<DB['case_clock_events']>[] = [];
      const audits: Insertable<DB['audit_log']>[] = [];
      for (let i = start; i < Math.min(o.cases, start + per); i++) {
        const id = caseBase + i + 1;
        const ci = Math.floor(rand() * citizenCount); // person index of the applicant (0-based)
        const agency = ags[ci % ags.length]!;
        const its = itemsByAgency.get(agency.code) ?? [];
        if (!its.length) throw new Error(`no published items for ${agency.code}`);
        const it = pick(its);
        const app = applicantNames.get(ci + 1)!;
        const cal = cals.get(agency.code)!;
        const prefix = it.code.split('-')[0]!.replace(/[^A-Z]/g, '') || agency.code.slice(0, 2).toUpperCase();
        // Older cases are finished; the last 60 days hold the open work.
        const ageDays = Math.floor(rand() ** 1.6 * 730);
        // Office hours, China time (UTC+8): 08:30–17:30 is 00:30–09:30 UTC.
        const submittedAt = new Date(todayMs - ageDays * 86400_000 + 1800_000 + Math.floor(rand() * 9 * 3600_000));
        const day = chinaDate(submittedAt);
        const r = rand();
        const status =
          ageDays > 60
            ? r < 0.82
              ? 'approved'
              : r < 0.87
                ? 'denied'
                : r < 0.91
                  ? 'rejected'
                  : r < 0.96
                    ? 'withdrawn'
                    : 'terminated'
            : r < 0.04
              ? 'draft'
              : r < 0.16
                ? 'submitted'
                : r < 0.3
                  ? 'accepted'
                  : r < 0.35
                    ? 'tolerance_accepted'
                    : r < 0.4
                      ? 'correction'
                      : r < 0.58
                        ? 'reviewing'
                        : r < 0.62
                          ? 'rechecking'
                          : r < 0.65
                            ? 'suspended'
                            : r < 0.9
                              ? 'approved'
                              : r < 0.94
                                ? 'denied'
                                : r < 0.97
                                  ? 'rejected'
                                  : 'withdrawn';
        const draft = status === 'draft';
        const caseNo = draft ? null : formatCaseNo(prefix, day, ++serial);
        const accepted = !['draft', 'submitted', 'rejected', 'withdrawn', 'correction'].includes(status) || (status === 'withdrawn' && rand() < 0.5);
        const final = ['approved', 'denied', 'rejected', 'withdrawn', 'terminated'].includes(status);
        const acceptedAt = accepted ? new Date(submittedAt.getTime() + Math.floor(rand() * 2 * 86400_000)) : null;
        const acceptDay = acceptedAt ? chinaDate(acceptedAt) : null;
        let due: string | null = null;
        let warn: string | null = null;
        const wd = it.time_limit_kind === 'working_days' && it.time_limit_value && it.time_limit_unit === 'working_day';
        if (acceptDay && wd) {
          try {
            due = cal.addWorkingDays(acceptDay, it.time_limit_value!);
            warn = cal.addWorkingDays(acceptDay, Math.ceil(it.time_limit_value! * 0.75));
          } catch {
            due = null; // a year the calendar does not cover: untimed, like the live service
          }
        }
        let completedAt: Date | null = null;
        if (final) {
          const base = acceptedAt ?? submittedAt;
          const spanDays = due ? Math.max(0, (Date.parse(due) - Date.parse(chinaDate(base))) / 86400_000) : 10;
          const late = rand() < 0.06 ? 1 + Math.floor(rand() * 5) : 0; // about 6 % finish late
          completedAt = new Date(Math.min(todayMs, base.getTime() + Math.floor(rand() * (spanDays + late) * 86400_000) + 3600_000));
          if (completedAt < base) completedAt = new Date(base.getTime() + 3600_000);
        }
        const clockState = !accepted ? 'idle' : final ? 'stopped' : status === 'suspended' ? 'paused' : due ? 'running' : 'untimed';
        const staffIds = staffByAgency.get(agency.code)!;
        const assignee = accepted ? staffIds[Math.floor(rand() * staffIds.length)]! : null;
        const offices = officesByAgency.get(agency.code) ?? [];
        const channel = pick(['online', 'online', 'online', 'mobile', 'mobile', 'window', 'post', 'email'] as const);
        const updatedAt = completedAt ?? acceptedAt ?? submittedAt;
        cases.push({
          id,
          case_no: caseNo,
          agency_code: agency.code,
          item_id: it.item_id,
          item_version_id: it.id,
          item_code: it.code,
          item_name: it.name,
          status,
          channel,
          owner_user_id: citizenIds[ci]!,
          applicant_name: app.name,
          applicant_id_no: app.idNo,
          applicant_phone: app.phone ?? '',
          answers: '{}',
          office_id: offices.length ? offices[Math.floor(rand() * offices.length)]! : null,
          assignee_id: assignee,
          submitted_at: draft ? null : submittedAt,
          queued_at: draft ? null : submittedAt,
          accepted_at: acceptedAt,
          completed_at: completedAt,
          sla_kind: due ? 'working_days' : null,
          sla_value: due ? it.time_limit_value : null,
          sla_start: acceptDay,
          due_date: due,
          warn_date: warn,
          clock_state: clockState,
          paused_on: status === 'suspended' ? chinaDate(updatedAt) : null,
          created_at: submittedAt,
          updated_at: updatedAt,
        });
        const ev = (at: Date, action: string, from: string | null, to: string, actorId: number | null, label: string) => {
          events.push({ case_id: id, at, action, from_status: from, to_status: to, actor_id: actorId, actor_label: label });
          const fields = {
            at,
            actor_kind: 'user',
            actor_id: actorId === null ? null : String(actorId),
            actor_label: label,
            action: `case.${action}`,
            subject_kind: 'case',
            subject_id: String(id),
            agency_code: agency.code,
            request_id: null,
            ip: null,
            data: { from, to },
          };
          // The MAC's nonce from the seed and the row, so the same arguments give the same chain.
          const sealed = sealedColumns(auditKeys, fields, prevHash, ++auditSeq, `gen${o.seed.toString(16)}x${(auditId + 1).toString(16)}`);
          audits.push({ ...fields, ...sealed, id: ++auditId, data: JSON.stringify(fields.data) });
          prevHash = sealed.hash;
        };
        if (!draft) ev(submittedAt, 'submit', 'draft', 'submitted', citizenIds[ci]!, app.name);
        if (acceptedAt) {
          ev(acceptedAt, 'accept', 'submitted', 'accepted', assignee, `${agency.code}经办`);
          clocks.push({ case_id: id, at: acceptedAt, day: acceptDay!, kind: 'start', due_date: due });
        }
        if (status === 'correction')
          ev(new Date(submittedAt.getTime() + 3600_000), 'request_correction', 'submitted', 'correction', staffIds[0]!, `${agency.code}经办`);
        if (final && completedAt && status !== 'draft') {
          const from = acceptedAt ? 'reviewing' : 'submitted';
          const action = (
            { approved: 'approve', denied: 'deny', rejected: 'reject', withdrawn: 'withdraw', terminated: 'terminate' } as Record<string, string>
          )[status]!;
          ev(
            completedAt,
            action,
            from,
            status,
            status === 'withdrawn' ? citizenIds[ci]! : (assignee ?? staffIds[0]!),
            status === 'withdrawn' ? app.name : `${agency.code}经办`,
          );
          if (acceptedAt)
            clocks.push({
              case_id: id,
              at: completedAt,
              day: chinaDate(completedAt),
              kind: 'stop',
              due_date: due,
              data: JSON.stringify({ onTime: !due || chinaDate(completedAt) <= due, outcome: status }),
            });
        }
      }
      await db.insertInto('cases').values(cases).execute();
      await insertBatched(db, 'case_events', events, 4000);
      if (clocks.length) await insertBatched(db, 'case_clock_events', clocks, 4000);
      await insertBatched(db, 'audit_log', audits, 1500); // 17 columns: ≤ 32,767 parameters per statement (PGlite)
      stats.cases += cases.length;
      stats.events += events.length;
      stats.audit += audits.length;
      if ((start / per) % 100 === 0) log(`  cases: ${stats.cases}`);
    }
    if (o.cases) await sql`select setval(pg_get_serial_sequence('cases', 'id'), (select max(id) from cases))`.execute(db);
    if (stats.audit) await sql`select setval(pg_get_serial_sequence('audit_log', 'id'), (select max(id) from audit_log))`.execute(db);
    // Live case numbers continue after the generated ones.
    if (serial > 0) await sql`select setval('case_no_seq', ${serial})`.execute(db);
  });
  // VACUUM also sets the visibility map, so index-only scans (the staff queue's count) skip the table.
  await timed('vacuum', async () => {
    await sql`vacuum analyze`.execute(db);
  });
  const contributions = Number(
    (
      await db
        .selectFrom('contributions')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  return {
    persons: o.persons,
    units: o.units,
    contributions,
    cases: stats.cases,
    events: stats.events,
    audit: stats.audit,
    users: citizenCount + STAFF_PER_AGENCY * ags.length,
    ms,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      persons: { type: 'string', default: '10000' },
      units: { type: 'string', default: '500' },
      cases: { type: 'string', default: '20000' },
      seed: { type: 'string', default: '1' },
      years: { type: 'string', default: '5' },
      today: { type: 'string' },
      reset: { type: 'boolean', default: false },
    },
  });
  const num = (k: keyof typeof values) => {
    const n = Number(values[k]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${k} must be a whole number ≥ 0`);
    return n;
  };
  const config = loadConfig();
  const today = values.today ?? chinaDate(systemClock.now());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error('--today must be YYYY-MM-DD');
  const dbh = await openDb({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
  try {
    const t0 = performance.now();
    await migrateToLatest(dbh.db);
    await seedFromDir(dbh.db, config.DATA_DIR, today);
    await seedCalendar(dbh.db, config.DATA_DIR, today);
    await seedRules(dbh.db, config.DATA_DIR);
    await seedBenefitParams(dbh.db, config.DATA_DIR);
    const r = await generate(dbh.db, {
      persons: num('persons'),
      units: num('units'),
      cases: num('cases'),
      seed: num('seed'),
      years: Math.max(1, num('years')),
      today,
      reset: values.reset,
      log: (m) => console.log(m),
    });
    const size =
      dbh.kind === 'postgres'
        ? (await sql<{ s: string }>`select pg_size_pretty(pg_database_size(current_database())) as s`.execute(dbh.db)).rows[0]!.s
        : null;
    console.log(JSON.stringify({ ...r, seconds: Math.round((performance.now() - t0) / 100) / 10, databaseSize: size }, null, 2));
  } finally {
    await dbh.close();
  }
}

if (import.meta.main) {
  let code = 0;
  try {
    await main();
  } catch (e) {
    console.error(`✗ ${e instanceof Error ? (process.env.GEN_DEBUG ? e.stack : e.message) : String(e)}`);
    code = 1;
  }
  // PGlite resets the exit code while closing, so exit explicitly.
  process.exit(code);
}
