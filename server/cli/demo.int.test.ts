/** `npm run demo` as a presenter runs it: twice on a throw-away embedded database, then the app on it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../../test/support.ts';
import { Client } from '../../test/client.ts';
import { staffTotp } from '../../test/totp.ts';
import { evaluateFor } from '../modules/rules/service.ts';
import { computeBenefit } from '../modules/benefits/benefits.ts';
import { addMonthsYm } from '../../common/registry.ts';
import { testClock, testToday } from '../../test/clock.ts';

const PASSWORD = 'Demo-Yibao-2026';

/** The rows of a Markdown table whose first cell is a `login`, as trimmed cells. */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((l) => /^\|\s*`[^`]+`\s*\|/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    )
    .filter((cells) => cells.length === 6);
}

/** The README.md section "## Demo accounts". */
function readmeSection(): string {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('## Demo accounts');
  assert.ok(start >= 0, 'README.md has a "## Demo accounts" section');
  const next = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, next < 0 ? undefined : next);
}

test(
  'npm run demo: idempotent demo accounts and registry, matching the README and the rules',
  { skip: Boolean(process.env.TEST_DATABASE_URL) && 'PGlite-only' },
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'yb-demo-'));
    const pgliteDir = path.join(dir, 'db');
    const run = (script: string, ...args: string[]) => {
      const r = spawnSync(process.execPath, [script, ...args], {
        env: { ...process.env, PGLITE_DIR: pgliteDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
        encoding: 'utf8',
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    try {
      // The demo CLI dates its data by the machine's clock (a presenter runs it on the day of the
      // demo): the app then runs on a test clock started at that moment, so the data is as of its today.
      const demoRanAt = new Date();
      const first = run('server/cli/demo.ts');
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /已新建演示数据（种子 42）/);
      const second = run('server/cli/demo.ts');
      assert.equal(second.code, 0, second.err);
      assert.match(second.out, /本次未新建任何数据/);
      assert.doesNotMatch(second.out, /已新建/);

      // The README table is the one the script prints (same rows and cells), so the two cannot drift apart.
      const readmeRows = tableRows(readmeSection());
      const logins = readmeRows.map((r) => r[0]!.replaceAll('`', ''));
      assert.ok(logins.length >= 20, `README lists ${logins.length} demo logins`);
      assert.deepEqual(tableRows(first.out), readmeRows);
      assert.deepEqual(tableRows(run('server/cli/demo.ts', '--markdown').out), readmeRows);

      // The staff CLI prints the current code of a demo secret (derived from seed 42 and the login).
      const code = run('server/cli/staff.ts', 'totp', '--login', 'daye-clerk');
      assert.equal(code.code, 0, code.err);
      assert.match(code.out.trim(), /^\d{6}$/);

      const s = await startServer({ pgliteDir, clock: testClock(demoRanAt) });
      try {
        const db = s.dbh.db;
        const users = await db
          .selectFrom('users')
          .select(['login', 'kind', 'roles', 'totp_secret', 'unit_id'])
          .where('login', 'in', logins)
          .execute();
        assert.deepEqual(users.map((u) => u.login).sort(), [...logins].sort(), 'every README login exists');
        const staff = users.filter((u) => u.kind === 'staff');
        assert.equal(staff.length, 15);
        assert.deepEqual(staff.find((u) => u.login === 'daye-reviewer')!.roles, ['reviewer', 'rechecker']);
        assert.ok(users.find((u) => u.kind === 'unit')!.unit_id !== null);
        // Ran twice, created once.
        const persons = await db
          .selectFrom('persons')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        assert.equal(Number(persons.n), users.filter((u) => u.kind === 'citizen').length);

        const today = testToday(s.clock);
        const lastMonth = addMonthsYm(today.slice(0, 7), -1);
        const zhou = await db.selectFrom('users').select('id_no').where('login', '=', '19900005001').executeTakeFirstOrThrow();
        const months = await db
          .selectFrom('contributions as c')
          .innerJoin('persons as p', 'p.id', 'c.person_id')
          .select(['c.month', 'c.paid'])
          .where('p.id_no', '=', zhou.id_no!)
          .orderBy('c.month')
          .execute();
        assert.equal(months.length, 36);
        assert.ok(months.every((m) => m.paid));
        assert.equal(months.at(-1)!.month, lastMonth);

        // A demo clerk logs in with the password and the seed-derived TOTP code.
        const clerk = new Client(s.url);
        const secret = staff.find((u) => u.login === 'daye-clerk')!.totp_secret!;
        const li = await clerk.post('/api/auth/login', { login: 'daye-clerk', password: PASSWORD, totp: await staffTotp(s, secret) });
        assert.equal(li.status, 200, JSON.stringify(li.body));

        const unitClient = new Client(s.url);
        const unitClerk = await unitClient.post('/api/auth/login', { login: '19900005901', password: PASSWORD });
        assert.equal(unitClerk.status, 200, JSON.stringify(unitClerk.body));
        assert.equal(unitClerk.body.user.kind, 'unit');
        // An approved 单位经办人 of 大冶演示机械有限公司: the unit page and its roster are open to her.
        const mine = await unitClient.get('/api/unit/clerk-request');
        assert.equal(mine.body.status, 'approved');
        assert.equal(mine.body.request.unitName, '大冶演示机械有限公司');
        assert.equal((await unitClient.get('/api/unit/employees')).status, 200);

        // Each demo citizen shows what the README says.
        const precheck = async (login: string, agency: string, item: string, answers: Record<string, unknown>) => {
          const c = new Client(s.url);
          const r = await c.post('/api/auth/login', { login, password: PASSWORD });
          assert.equal(r.status, 200, JSON.stringify(r.body));
          const pre = await c.post(`/api/agencies/${agency}/items/${item}/precheck`, { answers });
          assert.equal(pre.status, 200, JSON.stringify(pre.body));
          assert.equal(pre.body.known, true, login);
          const rule = (code: string) => pre.body.results.find((x: { code: string }) => x.code === code)?.passed;
          return { ...pre.body, rule };
        };
        const dy23 = { beneficiary: 'female', delivery: 'caesarean' };
        const zm = await precheck('19900005001', 'daye', 'DY-23', dy23);
        assert.equal(zm.eligible, true, JSON.stringify(zm.results.filter((r: { passed: boolean }) => !r.passed)));
        const zj = await precheck('19900005002', 'daye', 'DY-23', dy23);
        assert.equal(zj.eligible, false);
        assert.equal(zj.rule('DY-R-ALLOWANCE-6M'), false);
        // 剖宫产 143 days is computable: the unit's average wage is in the registry.
        const ev = await evaluateFor(db, { agency: 'daye', itemCode: 'DY-23', idNo: zhou.id_no!, answers: dy23, asOf: today });
        const benefit = await computeBenefit(db, { agency: 'daye', itemCode: 'DY-23', answers: dy23, snapshot: ev.snapshot, asOf: today });
        assert.equal(benefit?.problem, null);
        const wage = ev.snapshot.unit!.avgMonthlyWage!;
        assert.equal(benefit!.result!.amount, Math.round((wage * 100 * 143) / 30) / 100);
        assert.ok(benefit!.result!.trace.some((t) => t.value === '143天'));

        assert.equal((await precheck('19900005003', 'daye', 'DY-12', {})).rule('DY-R-RESETTLE-RETIRED'), true);
        assert.equal((await precheck('19900005004', 'daye', 'DY-17', { disease: '慢性阻塞性肺疾病' })).rule('DY-R-CHRONIC-MAX-3'), false);
        const arrears = await precheck('19900004001', 'fushun', 'FS-11', {});
        assert.equal(arrears.prohibited, true);
        assert.equal(arrears.rule('FS-JB-02'), false);
        const clean = await precheck('19900004002', 'fushun', 'FS-11', {});
        assert.equal(clean.prohibited, false);
        assert.equal(clean.rule('FS-JB-02'), true);
        assert.equal((await precheck('19900004002', 'fushun', 'FS-21', {})).rule('FS-JB-09'), true);
        assert.equal((await precheck('19900003001', 'haicheng', 'HC-24', {})).rule('HC-R-ALLOWANCE-10M'), true);
        assert.equal((await precheck('19900003002', 'haicheng', 'HC-24', {})).rule('HC-R-ALLOWANCE-10M'), false);
        const bad = await precheck('19900003003', 'haicheng', 'HC-24', {});
        assert.equal(bad.rule('HC-R-ALLOWANCE-10M'), true);
        assert.equal(bad.rule('HC-RQ-CREDIT'), false);
        assert.equal(bad.toleranceAllowed, false);
        assert.equal((await precheck('19900002001', 'shandong', 'SD-04B', {})).rule('SD-R-TRANSFER-IN-PAID'), true);
        assert.equal((await precheck('19900002002', 'shandong', 'SD-04B', {})).rule('SD-R-TRANSFER-IN-PAID'), false);
        assert.equal((await precheck('19900001001', 'dalian', 'DL-01', { applicantType: 'insured' })).rule('DL-R-RESETTLE-WHO'), true);
        assert.equal((await precheck('19900001002', 'dalian', 'DL-01', { applicantType: 'insured' })).rule('DL-R-RESETTLE-WHO'), false);
      } finally {
        await s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
