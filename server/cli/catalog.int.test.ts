/** The catalogue CLI as an admin runs it, on a throw-away embedded database. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

test('validate, import as draft, publish, diff and list versions', { skip: Boolean(process.env.TEST_DATABASE_URL) && 'PGlite-only' }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yb-cli-'));
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['server/cli/catalog.ts', ...args], {
      env: { ...process.env, PGLITE_DIR: path.join(dir, 'db'), DATABASE_URL: '' },
      encoding: 'utf8',
    });
    return { code: r.status, out: r.stdout + r.stderr };
  };
  try {
    assert.equal(run('validate', 'data/haicheng.yaml').code, 0);
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'agency: {code: nowhere}\n');
    const v = run('validate', bad);
    assert.equal(v.code, 1);
    assert.match(v.out, /agency\.code/);

    assert.match(run('import', 'data/haicheng.yaml', '--note', '初版').out, /第 1 版（草稿）/);
    assert.match(run('publish', 'haicheng', '1', '--effective', '2020-01-01').out, /已发布/);
    const changed = path.join(dir, 'haicheng.yaml');
    writeFileSync(changed, readFileSync('data/haicheng.yaml', 'utf8').replace('    text: 15 个工作日', '    text: 12 个工作日'));
    assert.match(run('import', changed).out, /第 2 版/);
    const diff = run('diff', 'haicheng', '1', '2');
    assert.match(diff.out, /~ HC-10 参保人员个人账户一次性支取：timeLimit/);
    const again = run('publish', 'haicheng', '1');
    assert.equal(again.code, 1);
    assert.match(again.out, /VERSION_NOT_DRAFT/);
    const versions = run('versions', 'haicheng').out;
    assert.match(versions, /\* 第 1 版\s+published/);
    assert.match(versions, /第 2 版\s+draft/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
