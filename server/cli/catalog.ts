/**
 * Catalogue admin CLI: `npm run catalog -- <command>`.
 *   validate <file>                         check a data file against the schema
 *   import <file> [--note TEXT]             import it as a new draft version
 *   publish <agency> <version> [--effective YYYY-MM-DD]   publish a draft (default: today)
 *   diff <agency> <from> <to>               list what changed between two versions
 *   versions <agency>                       list versions
 * Uses DATABASE_URL or the embedded database under PGLITE_DIR, like the server.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError } from '../../common/errors.ts';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { chinaDate, systemClock } from '../platform/clock.ts';
import { diffVersions, importDraft, listVersions, parseCatalog, publish } from '../modules/catalog/index.ts';

const USAGE = `用法: npm run catalog -- <validate|import|publish|diff|versions> …
  validate <文件>                        校验数据文件
  import <文件> [--note 说明]            导入为新的草稿版本
  publish <机构> <版本> [--effective 日期] 发布草稿（默认今天生效）
  diff <机构> <版本A> <版本B>            比较两个版本
  versions <机构>                        列出版本`;

function fail(msg: string): never {
  console.error(msg);
  process.exit(2);
}

const { positionals, values } = parseArgs({ allowPositionals: true, options: { note: { type: 'string' }, effective: { type: 'string' } } });
const [cmd, ...args] = positionals;
let exitCode = 0;
if (!cmd) fail(USAGE);

if (cmd === 'validate') {
  const file = args[0] ?? fail(USAGE);
  try {
    const cat = parseCatalog(readFileSync(file, 'utf8'), file);
    console.log(`✓ ${file}: ${cat.agency.name}，${cat.items.length} 个事项，${cat.offices.length} 个办事地点`);
    process.exit(0);
  } catch (e) {
    if (e instanceof AppError) {
      console.error(`✗ ${e.message}`);
      for (const d of (e.details as { path: string; message: string }[] | undefined) ?? []) console.error(`  ${d.path} ${d.message}`);
      process.exit(1);
    }
    throw e;
  }
}

const config = loadConfig();
const dbh = await openDb({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
try {
  await migrateToLatest(dbh.db);
  const today = chinaDate(systemClock.now());
  switch (cmd) {
    case 'import': {
      const file = args[0] ?? fail(USAGE);
      const cat = parseCatalog(readFileSync(file, 'utf8'), file);
      const r = await importDraft(dbh.db, cat, file, values.note);
      console.log(
        r.unchanged
          ? `内容与第 ${r.version} 版相同，未导入新版本。`
          : `已导入 ${r.agency} 第 ${r.version} 版（草稿）。发布：npm run catalog -- publish ${r.agency} ${r.version}`,
      );
      break;
    }
    case 'publish': {
      const [agency, v] = args;
      if (!agency || !v || !/^\d+$/.test(v)) fail(USAGE);
      const eff = values.effective ?? today;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(eff) || Number.isNaN(Date.parse(eff))) fail(`生效日期格式应为 YYYY-MM-DD：${eff}`);
      await publish(dbh.db, agency, Number(v), eff);
      console.log(`已发布 ${agency} 第 ${v} 版，${eff} 起生效。`);
      break;
    }
    case 'diff': {
      const [agency, a, b] = args;
      if (!agency || !a || !b) fail(USAGE);
      const d = await diffVersions(dbh.db, agency, Number(a), Number(b));
      if (!d.items.length && !d.sections.length) console.log('两个版本内容相同。');
      for (const s of d.sections) console.log(`~ ${s.section}`);
      for (const i of d.items) {
        const mark = i.change === 'added' ? '+' : i.change === 'removed' ? '-' : '~';
        console.log(`${mark} ${i.code} ${i.name}${i.fields.length ? `：${i.fields.join('、')}` : ''}`);
      }
      break;
    }
    case 'versions': {
      const agency = args[0] ?? fail(USAGE);
      for (const v of await listVersions({ db: dbh.db, today }, agency)) {
        console.log(
          `${v.current ? '*' : ' '} 第 ${v.version} 版  ${v.status.padEnd(9)} 生效 ${v.effectiveFrom ?? '—'}  ${v.sourceName}${v.note ? `  ${v.note}` : ''}`,
        );
      }
      break;
    }
    default:
      fail(USAGE);
  }
} catch (e) {
  if (e instanceof AppError) {
    console.error(`✗ ${e.code}: ${e.message}`);
    for (const d of (e.details as { path: string; message: string }[] | undefined) ?? []) console.error(`  ${d.path} ${d.message}`);
    exitCode = 1;
  } else throw e;
} finally {
  await dbh.close();
}
// PGlite resets the exit code while closing, so exit explicitly.
process.exit(exitCode);
