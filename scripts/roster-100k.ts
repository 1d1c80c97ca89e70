/**
 * Measure a 100,000-row roster check and import through the real HTTP API on PGlite (or on
 * PostgreSQL when TEST_DATABASE_URL is set). Usage: node scripts/roster-100k.ts [rows]
 */
import { startServer } from '../test/support.ts';
import { registerUnitClerk } from '../test/client.ts';
import { citizenIdCheckChar, usccCheckChar } from '../common/ids.ts';

const n = Number(process.argv[2] ?? 100_000);
const s = await startServer();
try {
  const u17 = '91420281MA4BENCH0';
  const uscc = u17 + usccCheckChar(u17);
  const c = await registerUnitClerk(s, { uscc, unitName: '大冶基准测试有限公司' });
  await s.dbh.db.updateTable('units').set({ agency_code: 'daye' }).where('uscc', '=', uscc).execute();
  const lines = ['操作,公民身份号码,姓名,日期,缴费基数'];
  for (let i = 0; i < n; i++) {
    const first = `420281${1960 + (i % 40)}0${1 + (i % 9)}${String(10 + (i % 18)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
    const y = first.slice(6, 10);
    // spread sequence numbers over birth dates so every ID is distinct
    const id17 = `420281${y}${String(1 + (Math.floor(i / 1000) % 12)).padStart(2, '0')}${String(1 + (Math.floor(i / 12000) % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
    lines.push(`增员,${id17 + citizenIdCheckChar(id17)},职工${i},2026-11-01,5000`);
  }
  const body = Buffer.from(lines.join('\n'));
  const fd = new FormData();
  fd.set('file', new Blob([body]), 'roster.csv');
  let t = performance.now();
  const r = await c.client.request('POST', '/api/unit/roster', fd);
  const checkMs = performance.now() - t;
  console.log(
    `check: ${n} rows, ${(body.length / 1e6).toFixed(1)} MB → HTTP ${r.status}, valid ${r.body.valid}, errors ${r.body.errors?.length} in ${(checkMs / 1000).toFixed(1)} s`,
  );
  t = performance.now();
  const a = await c.client.post(`/api/unit/roster/${r.body.id}/apply`, { mode: 'valid' });
  const applyMs = performance.now() - t;
  console.log(
    `apply: HTTP ${a.status}, ${a.body.appliedRows} rows in ${(applyMs / 1000).toFixed(1)} s; total ${((checkMs + applyMs) / 1000).toFixed(1)} s on ${s.dbh.kind}`,
  );
} finally {
  await s.close();
}
