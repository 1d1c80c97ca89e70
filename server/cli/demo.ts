/**
 * Demo data CLI: `npm run demo [-- --seed 42] [-- --markdown]`.
 * Creates, for every agency, demo staff with fixed logins, passwords and TOTP secrets, demo citizens
 * with accounts AND registry records (persons, enrolments, contributions, personal accounts, units,
 * chronic-disease certifications) chosen so that each agency's main rules have a passing and a failing
 * person, and a unit clerk account. Prints the accounts as a Markdown table (the same table is in
 * README.md, "## Demo accounts"; `--markdown` prints only that section, without touching the database).
 *
 * DEMO ONLY: every password is `Demo-Yibao-2026` and the TOTP secrets are derived from the seed and the login
 * (base32 of sha1("<seed>:<login>")), so anyone who knows this file can log in. Never run it on a
 * production database.
 *
 * Reproducible: the same seed gives the same ID numbers, USCCs, wages and balances (a mulberry32 PRNG);
 * contribution months are counted back from the run date (the last 36 months up to the previous month).
 * Idempotent: when the first demo login already exists, nothing is changed (whatever the seed).
 * Uses DATABASE_URL or the embedded database under PGLITE_DIR, like the server; runs the same seeds
 * (catalogue, calendar, rules, benefit parameters) first. Stop the server first on the embedded database.
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { AppError } from '../../common/errors.ts';
import { citizenIdCheckChar, citizenIdFacts, usccCheckChar } from '../../common/ids.ts';
import { addMonthsYm } from '../../common/registry.ts';
import type { StaffRole } from '../../common/workflow.ts';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { base32Encode, createStaff, hashPassword } from '../modules/accounts/index.ts';
import { seedFromDir } from '../modules/catalog/index.ts';
import { seedCalendar } from '../modules/calendar/index.ts';
import { recordHistory } from '../modules/registry/index.ts';
import { seedRules } from '../modules/rules/index.ts';
import { seedBenefitParams } from '../modules/benefits/index.ts';
import { chinaDate, systemClock } from '../platform/clock.ts';
import { mulberry32 } from './prng.ts';

const DEMO_PASSWORD = 'Demo-Yibao-2026';

const AGENCIES = [
  { code: 'dalian', name: '大连', region: '210202', unit: '大连演示港务科技有限公司' },
  { code: 'shandong', name: '山东省直', region: '370102', unit: '山东演示信息技术有限公司' },
  { code: 'haicheng', name: '海城', region: '210381', unit: '海城演示菱镁制品有限公司' },
  { code: 'fushun', name: '抚顺', region: '210402', unit: '抚顺演示石化设备有限公司' },
  { code: 'daye', name: '大冶', region: '420281', unit: '大冶演示机械有限公司' },
] as const;
type AgencyCode = (typeof AGENCIES)[number]['code'];

const STAFF: { suffix: string; label: string; roles: StaffRole[]; shows: string }[] = [
  { suffix: 'clerk', label: '受理员', roles: ['acceptor'], shows: '受理（acceptor）：窗口/网上受理、补正、容缺受理、不予受理' },
  { suffix: 'reviewer', label: '审核员', roles: ['reviewer', 'rechecker'], shows: '审核、复核（reviewer, rechecker）' },
  { suffix: 'admin', label: '管理员', roles: ['agency_admin', 'supervisor'], shows: '机构管理、督办（agency_admin, supervisor）' },
];

interface Persona {
  agency: AgencyCode;
  /** Login = mobile (1990000xxxx). */
  mobile: string;
  name: string;
  sex: 'M' | 'F';
  birthYear: number;
  /** 户籍 region when it is not the ID number's region (moved away). */
  hukou?: string;
  employment: 'employed' | 'retired';
  /** Paid months of employee contributions ending with the previous month (0: enrolled this month, none yet). */
  paidMonths: number;
  /** Months in arrears, counted back from the current month (1 = the previous month). */
  unpaidAgo?: number[];
  chronic?: string[];
  badCredit?: boolean;
  shows: string;
}

const PERSONAS: Persona[] = [
  {
    agency: 'dalian',
    mobile: '19900001001',
    name: '王建国',
    sex: 'M',
    birthYear: 1958,
    employment: 'retired',
    paidMonths: 0,
    shows: 'DL-01 异地安置（个人申请 applicantType=insured）：DL-R-RESETTLE-WHO **通过**（本市退休职工）',
  },
  {
    agency: 'dalian',
    mobile: '19900001002',
    name: '李娜',
    sex: 'F',
    birthYear: 1990,
    employment: 'employed',
    paidMonths: 36,
    shows: 'DL-01 异地安置（个人申请）：DL-R-RESETTLE-WHO **不通过**（在职职工，不是退休、个体或居民参保人员）',
  },
  {
    agency: 'shandong',
    mobile: '19900002001',
    name: '张伟',
    sex: 'M',
    birthYear: 1985,
    employment: 'employed',
    paidMonths: 36,
    shows: 'SD-04B 医保关系转入：SD-R-TRANSFER-IN-PAID **通过**（省医保中心有36个月缴费记录）',
  },
  {
    agency: 'shandong',
    mobile: '19900002002',
    name: '刘洋',
    sex: 'M',
    birthYear: 1992,
    employment: 'employed',
    paidMonths: 0,
    shows: 'SD-04B 医保关系转入：SD-R-TRANSFER-IN-PAID **不通过**（本月刚参保，还没有缴费记录）',
  },
  {
    agency: 'haicheng',
    mobile: '19900003001',
    name: '赵丽',
    sex: 'F',
    birthYear: 1993,
    employment: 'employed',
    paidMonths: 36,
    shows: 'HC-24 生育津贴：HC-R-ALLOWANCE-10M **通过**（职工医保连续缴费36个月）',
  },
  {
    agency: 'haicheng',
    mobile: '19900003002',
    name: '孙芳',
    sex: 'F',
    birthYear: 1996,
    employment: 'employed',
    paidMonths: 4,
    shows: 'HC-24 生育津贴：HC-R-ALLOWANCE-10M **不通过**（连续缴费4个月，须满10个月）',
  },
  {
    agency: 'haicheng',
    mobile: '19900003003',
    name: '周静',
    sex: 'F',
    birthYear: 1991,
    employment: 'employed',
    paidMonths: 36,
    badCredit: true,
    shows: '失信记录：HC-24 生育津贴条件通过，但 HC-RQ-CREDIT **不予容缺**（须备齐全部材料）',
  },
  {
    agency: 'fushun',
    mobile: '19900004001',
    name: '陈刚',
    sex: 'M',
    birthYear: 1982,
    employment: 'employed',
    paidMonths: 36,
    unpaidAgo: [3, 2],
    shows: 'FS-11 出具《参保凭证》：FS-JB-02 **禁办**（医保欠费2个月）',
  },
  {
    agency: 'fushun',
    mobile: '19900004002',
    name: '杨梅',
    sex: 'F',
    birthYear: 1988,
    employment: 'employed',
    paidMonths: 36,
    shows: 'FS-11 出具《参保凭证》：FS-JB-02 **通过**（无欠费）；FS-21 生育津贴 FS-JB-09 通过（连续缴费36个月）',
  },
  {
    agency: 'daye',
    mobile: '19900005001',
    name: '周敏',
    sex: 'F',
    birthYear: 1994,
    employment: 'employed',
    paidMonths: 36,
    shows: 'DY-23 生育津贴（女职工、剖宫产）：**符合条件**，按单位月平均工资 ÷ 30 × 143天计算',
  },
  {
    agency: 'daye',
    mobile: '19900005002',
    name: '郑洁',
    sex: 'F',
    birthYear: 1995,
    employment: 'employed',
    paidMonths: 5,
    shows: 'DY-23 生育津贴：DY-R-ALLOWANCE-6M **不通过**（连续缴费5个月，须缴满6个月、第7个月生效）',
  },
  {
    agency: 'daye',
    mobile: '19900005003',
    name: '吴德福',
    sex: 'M',
    birthYear: 1956,
    hukou: '440106',
    employment: 'retired',
    paidMonths: 0,
    shows: 'DY-12 异地安置备案：DY-R-RESETTLE-RETIRED **通过**（退休，户籍已迁至广州市天河区，黄石市以外）',
  },
  {
    agency: 'daye',
    mobile: '19900005004',
    name: '黄秀英',
    sex: 'F',
    birthYear: 1975,
    employment: 'employed',
    paidMonths: 36,
    chronic: ['高血压（Ⅲ级）', '糖尿病', '冠心病'],
    shows: 'DY-17 慢特病认定：已认定3种，再申请第4种时 DY-R-CHRONIC-MAX-3 **不通过**',
  },
];

const UNIT_CLERK = {
  agency: 'daye' as AgencyCode,
  mobile: '19900005901',
  name: '钱会计',
  shows: '单位经办人（kind unit）：大冶演示机械有限公司（有效统一社会信用代码），以单位身份申请、查看本单位办件',
};

/** Demo-only TOTP secret: base32 of sha1("<seed>:<login>"). */
function demoTotpSecret(seed: number, login: string): string {
  return base32Encode(createHash('sha1').update(`${seed}:${login}`).digest());
}

const agencyOf = (code: AgencyCode) => AGENCIES.find((a) => a.code === code)!;
const staffLogin = (agency: string, suffix: string) => `${agency}-${suffix}`;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

interface Row {
  login: string;
  agency: string;
  kind: string;
  name: string;
  shows: string;
}

function accountRows(): Row[] {
  const rows: Row[] = [];
  for (const a of AGENCIES)
    for (const s of STAFF)
      rows.push({ login: staffLogin(a.code, s.suffix), agency: a.name, kind: '工作人员', name: `${a.name}${s.label}`, shows: s.shows });
  for (const p of PERSONAS) rows.push({ login: p.mobile, agency: agencyOf(p.agency).name, kind: '参保人', name: p.name, shows: p.shows });
  rows.push({ login: UNIT_CLERK.mobile, agency: agencyOf(UNIT_CLERK.agency).name, kind: '单位', name: UNIT_CLERK.name, shows: UNIT_CLERK.shows });
  return rows;
}

/** The README section: the same for every seed (logins, password, what each account shows). */
function readmeSection(): string {
  const lines = [
    '## Demo accounts',
    '',
    '`npm run demo` (optionally `-- --seed 42`, the default) fills the database the server uses with demo',
    'staff, citizens with their registry records (employee enrolments; monthly contributions up to last month,',
    '36 months for most, fewer where a rule needs it, none for retirees; personal accounts; employers with a',
    'valid USCC and an average wage) and a unit clerk. It is idempotent: once `dalian-clerk` exists it changes',
    `nothing. **Demo only**: every password is \`${DEMO_PASSWORD}\`, and staff TOTP secrets are derived from the`,
    'seed and the login (base32 of sha1("seed:login")), so they are public. `npm run staff -- totp --login daye-clerk`',
    'prints the current code; the script also prints each secret for an authenticator app.',
    '',
    'Separation of duties (职责分离) is on for every agency: whoever accepted a case cannot review it, and 复核 needs',
    'a third person. So accept as `<agency>-clerk`, review as `<agency>-reviewer`, and do the 复核 of an item',
    'that has one as `<agency>-admin` (agency_admin may 复核). An agency admin can turn it off at `PUT /api/admin/duties`.',
    '',
    '| 账号 | 密码 | 机构 | 类型 | 姓名 | 演示内容（规则与预期结果） |',
    '| --- | --- | --- | --- | --- | --- |',
    ...accountRows().map((r) => `| \`${r.login}\` | \`${DEMO_PASSWORD}\` | ${r.agency} | ${r.kind} | ${r.name} | ${r.shows} |`),
  ];
  return lines.join('\n');
}

/** A valid 公民身份号码: region, birth date, sequence with the sex digit's parity, check character. */
function idNo(rand: () => number, region: string, year: number, sex: 'M' | 'F'): string {
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  let seq = 100 + Math.floor(rand() * 800);
  if ((seq % 2 === 1) !== (sex === 'M')) seq += 1;
  const first = `${region}${year}${pad(month)}${pad(day)}${seq}`;
  return first + citizenIdCheckChar(first);
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A valid 统一社会信用代码: 91 (enterprise), region, MA + 7 characters, check character. */
function uscc(rand: () => number, region: string): string {
  let org = 'MA';
  while (org.length < 9) org += USCC_CHARS[Math.floor(rand() * USCC_CHARS.length)]!;
  const first = `91${region}${org}`;
  return first + usccCheckChar(first)!;
}

const { values } = parseArgs({ options: { seed: { type: 'string', default: '42' }, markdown: { type: 'boolean', default: false } } });
if (values.markdown) {
  console.log(readmeSection());
  process.exit(0);
}
if (!/^\d{1,9}$/.test(values.seed)) {
  console.error('用法: npm run demo [-- --seed 42] [-- --markdown]（种子为非负整数）');
  process.exit(2);
}
const seed = Number(values.seed);

const config = loadConfig();
const dbh = await openDb({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
let exitCode = 0;
try {
  const db = dbh.db;
  await migrateToLatest(db);
  const now = systemClock.now();
  const today = chinaDate(now);
  // The same seeds as the server, so the demo can run before the first start.
  await seedFromDir(db, config.DATA_DIR, today);
  await seedCalendar(db, config.DATA_DIR, today);
  await seedRules(db, config.DATA_DIR);
  await seedBenefitParams(db, config.DATA_DIR);

  const marker = staffLogin(AGENCIES[0].code, STAFF[0]!.suffix);
  const existing = await db.selectFrom('users').select('id').where('login', '=', marker).executeTakeFirst();
  if (existing) {
    console.log(`✓ 演示数据已存在（已有账号 ${marker}），本次未新建任何数据。`);
  } else {
    const rand = mulberry32(seed);
    const thisMonth = today.slice(0, 7);
    const ch = { at: now, effectiveFrom: today, actorLabel: `演示数据（npm run demo，种子 ${seed}）` };
    const hash = await hashPassword(DEMO_PASSWORD);
    const counts = await db.transaction().execute(async (trx) => {
      let staff = 0;
      for (const a of AGENCIES)
        for (const s of STAFF) {
          const login = staffLogin(a.code, s.suffix);
          await createStaff(trx, {
            login,
            name: `${a.name}${s.label}`,
            agencyCode: a.code,
            roles: s.roles,
            password: DEMO_PASSWORD,
            totpSecret: demoTotpSecret(seed, login),
          });
          staff++;
        }
      const unitIds = new Map<string, number>();
      for (const a of AGENCIES) {
        const wageYuan = 5000 + Math.floor(rand() * 40) * 100;
        const u = await trx
          .insertInto('units')
          .values({ uscc: uscc(rand, a.region), name: a.unit, legal_rep: '演示法人', avg_monthly_wage_fen: wageYuan * 100, agency_code: a.code })
          .returning('id')
          .executeTakeFirstOrThrow();
        unitIds.set(a.code, Number(u.id));
      }
      let contributions = 0;
      for (const p of PERSONAS) {
        const a = agencyOf(p.agency);
        const id = idNo(rand, a.region, p.birthYear, p.sex);
        const f = citizenIdFacts(id);
        const person = await trx
          .insertInto('persons')
          .values({
            id_no: id,
            name: p.name,
            sex: f.sex,
            birth_date: f.birthDate,
            hukou_region: p.hukou ?? f.region,
            residence_permit_region: null,
            phone: p.mobile,
            bad_credit: p.badCredit ?? false,
            household_id: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const pid = Number(person.id);
        const retired = p.employment === 'retired';
        const startMonth = retired ? `${p.birthYear + 22}-${pad(1 + Math.floor(rand() * 12))}` : addMonthsYm(thisMonth, -p.paidMonths);
        await trx
          .insertInto('enrolments')
          .values({
            person_id: pid,
            agency_code: p.agency,
            type: 'employee',
            unit_id: retired ? null : unitIds.get(p.agency)!,
            status: 'active',
            start_date: `${startMonth}-01`,
            end_date: null,
            case_id: null,
            employment: p.employment,
          })
          .execute();
        const baseFen = (3000 + Math.floor(rand() * 50) * 100) * 100;
        const rows = Array.from({ length: p.paidMonths }, (_, i) => {
          const ago = p.paidMonths - i;
          const month = addMonthsYm(thisMonth, -ago);
          const paid = !(p.unpaidAgo ?? []).includes(ago);
          return {
            person_id: pid,
            type: 'employee',
            month,
            agency_code: p.agency,
            base_fen: baseFen,
            amount_fen: Math.round(baseFen * 0.08),
            paid,
            paid_on: paid ? `${month}-15` : null,
          };
        });
        if (rows.length) await trx.insertInto('contributions').values(rows).execute();
        contributions += rows.length;
        await trx
          .insertInto('personal_accounts')
          .values({ person_id: pid, agency_code: p.agency, balance_fen: (200 + Math.floor(rand() * 19800)) * 100 })
          .execute();
        for (const disease of p.chronic ?? [])
          await trx
            .insertInto('chronic_certs')
            .values({
              person_id: pid,
              agency_code: p.agency,
              disease,
              valid_from: `${addMonthsYm(thisMonth, -24)}-01`,
              valid_to: null,
              case_id: null,
            })
            .execute();
        await recordHistory(trx, ch, 'person', pid, pid, null, { idNo: id, name: p.name, demo: true });
        await trx
          .insertInto('users')
          .values({
            kind: 'citizen',
            login: p.mobile,
            mobile: p.mobile,
            password_hash: hash,
            name: p.name,
            id_no: id,
            unit_id: null,
            institution_code: null,
            roles: [],
            bad_credit: p.badCredit ?? false,
            // Registered with the registry's own number for this ID (persons.phone above): verified, as register() does.
            id_verified_at: now,
            id_verified_via: 'sms',
          })
          .execute();
      }
      const clerkId = idNo(rand, agencyOf(UNIT_CLERK.agency).region, 1987, 'F');
      const clerk = await trx
        .insertInto('users')
        .values({
          kind: 'unit',
          login: UNIT_CLERK.mobile,
          mobile: UNIT_CLERK.mobile,
          password_hash: hash,
          name: UNIT_CLERK.name,
          id_no: clerkId,
          unit_id: unitIds.get(UNIT_CLERK.agency)!,
          institution_code: null,
          roles: [],
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // The demo clerk is an approved 单位经办人 of the demo unit (issue 16: registering alone grants nothing).
      await trx
        .insertInto('unit_clerk_requests')
        .values({
          unit_id: unitIds.get(UNIT_CLERK.agency)!,
          user_id: Number(clerk.id),
          agency_code: UNIT_CLERK.agency,
          status: 'approved',
          decided_as: 'migration',
          decided_at: new Date(),
          reason: '演示数据：已核验的单位经办人',
        })
        .execute();
      return { staff, citizens: PERSONAS.length, units: AGENCIES.length, contributions };
    });
    console.log(
      `✓ 已新建演示数据（种子 ${seed}）：${counts.staff} 名工作人员、${counts.citizens} 名参保人（含登记记录、${counts.contributions} 条缴费记录）、${counts.units} 个单位、1 名单位经办人。`,
    );
  }

  // The accounts table, then what differs by seed: TOTP secrets and the registry facts behind each citizen.
  console.log(`\n${readmeSection()}\n`);
  const staffRows = await db
    .selectFrom('users')
    .select(['login', 'totp_secret'])
    .where('kind', '=', 'staff')
    .where(
      'login',
      'in',
      AGENCIES.flatMap((a) => STAFF.map((s) => staffLogin(a.code, s.suffix))),
    )
    .orderBy('id')
    .execute();
  console.log('| 工作人员账号 | TOTP 密钥（演示用） |\n| --- | --- |');
  for (const r of staffRows) console.log(`| \`${r.login}\` | \`${r.totp_secret}\` |`);
  const logins = [...PERSONAS.map((p) => p.mobile), UNIT_CLERK.mobile];
  const users = await db
    .selectFrom('users as u')
    .leftJoin('persons as p', 'p.id_no', 'u.id_no')
    .leftJoin('enrolments as e', 'e.person_id', 'p.id')
    .leftJoin('units as n', (j) => j.on(sql<boolean>`n.id = coalesce(u.unit_id, e.unit_id)`))
    .select((eb) => [
      'u.login',
      'u.name',
      'u.id_no',
      'p.hukou_region',
      'e.employment',
      'n.uscc',
      'n.name as unit_name',
      eb
        .selectFrom('contributions as c')
        .select(sql<string>`count(*) filter (where c.paid) || '/' || count(*)`.as('n'))
        .whereRef('c.person_id', '=', 'p.id')
        .as('months'),
    ])
    .where('u.login', 'in', logins)
    .orderBy('u.id')
    .execute();
  console.log(
    '\n| 账号 | 姓名 | 公民身份号码 | 户籍区划 | 人员类别 | 已缴/应缴月数 | 单位（统一社会信用代码） |\n| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const u of users)
    console.log(
      `| \`${u.login}\` | ${u.name} | ${u.id_no ?? '—'} | ${u.hukou_region ?? '—'} | ${u.employment ?? '—'} | ${u.months ?? '—'} | ${u.uscc ? `${u.unit_name}（${u.uscc}）` : '—'} |`,
    );
  console.log(`\n当前动态验证码：npm run staff -- totp --login daye-clerk`);
} catch (e) {
  if (!(e instanceof AppError)) throw e;
  console.error(`✗ ${e.code}: ${e.message}`);
  exitCode = 1;
} finally {
  await dbh.close();
}
// PGlite resets the exit code while closing, so exit explicitly.
process.exit(exitCode);
