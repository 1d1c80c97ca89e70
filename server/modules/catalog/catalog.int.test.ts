/** Catalogue API through HTTP on a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, type TestServer } from '../../../test/support.ts';
import { diffVersions, importDraft, parseCatalog, publish } from './service.ts';
import type { AgencySummary, ItemOut, SearchOut } from '../../../common/api.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(async () => {
  await s?.close();
});

describe('agencies and items', () => {
  test('GET /api/agencies lists the five agencies with their regions', async () => {
    const r = await s.get<AgencySummary[]>('/api/agencies');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.map((a) => a.code).sort(), ['dalian', 'daye', 'fushun', 'haicheng', 'shandong']);
    const daye = r.body.find((a) => a.code === 'daye')!;
    assert.equal(daye.region.code, '420281');
    assert.equal(daye.itemCount, 29);
  });

  test('items carry the contract fields', async () => {
    const r = await s.get<ItemOut[]>('/api/agencies/haicheng/items');
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 24);
    for (const it of r.body) {
      for (const k of ['id', 'code', 'name', 'category', 'timeLimit', 'materials', 'channels', 'prohibitions', 'tolerances'] as const)
        assert.ok(k in it, `${it.code} lacks ${k}`);
      assert.ok(['immediate', 'working_days', 'natural_days', 'months', 'per_channel', 'unspecified'].includes(it.timeLimit.kind));
    }
    const hc21 = r.body.find((i) => i.code === 'HC-21')!;
    assert.equal(hc21.name, '产前检查费支付');
    assert.deepEqual([hc21.timeLimit.kind, hc21.timeLimit.value, hc21.timeLimit.unit], ['working_days', 10, 'working_day']);
    assert.equal(hc21.tolerances[0]?.deadlineDays, 10);
    assert.ok(hc21.prohibitions.some((p) => p.text === '应当由第三人负担的'));
  });

  test('an item page holds every guide field', async () => {
    const r = await s.get<ItemOut>('/api/agencies/daye/items/DY-23');
    assert.equal(r.status, 200);
    assert.equal(r.body.name, '生育津贴支付');
    assert.match(r.body.notes.join('\n'), /顺产128天、剖宫产143天/);
    assert.match(r.body.notes.join('\n'), /护理津贴（15天）/);
    assert.deepEqual(r.body.levels, ['市级']);
  });

  test('offices and departments', async () => {
    const hc = await s.get<{ name: string; phones: string[] }[]>('/api/agencies/haicheng/offices');
    assert.equal(hc.body.length, 4);
    assert.deepEqual(hc.body.find((o) => o.name === '鞍山市海城市医疗保障服务中心')?.phones, ['0412-3163120', '0412-3160120']);
    const dl = await s.get<{ departments: { name: string; emails: string[] }[]; measures: { kind: string }[] }>('/api/agencies/dalian');
    assert.equal(dl.body.departments.length, 4);
    assert.equal(dl.body.measures.filter((m) => m.kind === 'relaxed').length, 4);
    assert.equal(dl.body.measures.filter((m) => m.kind === 'deferred').length, 5);
  });

  test('checklist for 海城 住院费用报销 as 未成年 城乡居民', async () => {
    const r = await s.post<{ applies: { name: string }[]; excluded: { name: string }[] }>('/api/agencies/haicheng/items/HC-20/checklist', {
      answers: { insurance: 'resident', age: 'minor' },
    });
    assert.equal(r.status, 200);
    const names = r.body.applies.map((m) => m.name);
    assert.ok(
      names.some((n) => n.includes('监护人')),
      names.join('|'),
    );
    assert.ok(!names.some((n) => n.includes('代办人身份证')), 'employee copy sheet excluded');
    assert.ok(r.body.excluded.length >= 2);
  });
});

describe('search', () => {
  test('Chinese substring search with counts per agency', async () => {
    const r = await s.get<SearchOut>(`/api/search?q=${encodeURIComponent('生育津贴')}`);
    assert.equal(r.status, 200);
    assert.ok(r.body.total >= 3);
    assert.equal(r.body.results[0]?.matchedIn, 'name');
    const daye = await s.get<SearchOut>(`/api/search?q=${encodeURIComponent('生育津贴')}&agency=daye`);
    assert.deepEqual(
      daye.body.results.map((x) => x.code),
      ['DY-23'],
    );
    assert.equal(daye.body.byAgency.length, 5);
  });

  test('content matches find items whose name lacks the term, with a snippet', async () => {
    const r = await s.get<SearchOut>(`/api/search?q=${encodeURIComponent('剖宫产')}&agency=daye`);
    assert.equal(r.body.total, 1);
    assert.equal(r.body.results[0]?.matchedIn, 'content');
    assert.match(r.body.results[0]!.snippet, /剖宫产/);
  });

  test('LIKE wildcards in the query are literal', async () => {
    const r = await s.get<SearchOut>(`/api/search?q=${encodeURIComponent('%_')}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 0);
  });

  test('no result is not a dead end', async () => {
    const r = await s.get<SearchOut>(`/api/search?q=${encodeURIComponent('剖宫产')}&agency=shandong`);
    assert.equal(r.body.total, 0);
    assert.ok(r.body.suggestions.some((x) => x.kind === 'hint' && x.href?.includes('agency=daye')));
    assert.ok(r.body.suggestions.some((x) => x.kind === 'category'));
    const none = await s.get<SearchOut>(`/api/search?q=${encodeURIComponent('火星旅行')}`);
    assert.equal(none.body.total, 0);
    assert.ok(none.body.suggestions.length > 0, 'an empty global search still suggests something');
  });
});

describe('errors never 500', () => {
  test('bad agency code → 400 with a stable code', async () => {
    const r = await s.get<{ error: { code: string; message: string } }>('/api/agencies/beijing/items');
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'VALIDATION_FAILED');
    assert.match(r.body.error.message, /机构代码/);
  });
  test('unknown item → 404 ITEM_NOT_FOUND', async () => {
    const r = await s.get<{ error: { code: string } }>('/api/agencies/daye/items/DY-99');
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'ITEM_NOT_FOUND');
  });
  test('empty and over-long queries', async () => {
    assert.equal((await s.get<{ error: { code: string } }>('/api/search?q=')).body.error.code, 'QUERY_TOO_SHORT');
    const long = await s.get<{ error: { code: string } }>(`/api/search?q=${'医'.repeat(201)}`);
    assert.equal(long.status, 400);
    assert.equal(long.body.error.code, 'VALIDATION_FAILED');
  });
  test('malformed JSON and wrong types', async () => {
    const res = await fetch(`${s.url}/api/agencies/haicheng/items/HC-20/checklist`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"answers":',
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'BAD_JSON');
    const wrong = await s.post<{ error: { code: string; details: unknown } }>('/api/agencies/haicheng/items/HC-20/checklist', {
      answers: { age: 5 },
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.code, 'VALIDATION_FAILED');
    // zod's default messages in plain Chinese (common/zod-zh.ts), not "Invalid input: expected string, received number"
    assert.deepEqual(wrong.body.error.details, [{ path: 'answers.age', message: '应填写文字。' }]);
    const notObject = await s.post<{ error: { details: unknown } }>('/api/agencies/haicheng/items/HC-20/checklist', { answers: 5 });
    assert.deepEqual(notObject.body.error.details, [{ path: 'answers', message: '应填写一组字段。' }]);
  });
  test('unknown API path → 404 JSON; unknown page → the web app', async () => {
    const r = await s.get<{ error: { code: string } }>('/api/nope');
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'NOT_FOUND');
  });
  test('healthz reports the database', async () => {
    const r = await s.get<{ status: string; db: { ok: boolean } }>('/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.body.db.ok, true);
  });
  test('OpenAPI document is served', async () => {
    const r = await s.get<{ openapi: string; paths: Record<string, unknown> }>('/api/docs/json');
    assert.equal(r.status, 200);
    assert.ok(r.body.paths['/api/agencies/{code}/items']);
  });
});

describe('versions', () => {
  test('a draft is invisible until published; a future effective date keeps the old version current; old versions stay readable', async () => {
    const cat = parseCatalog(readFileSync('data/daye.yaml', 'utf8'));
    const changed = structuredClone(cat);
    changed.items[22]!.timeLimit = { text: '不超过8个工作日', kind: 'working_days', value: 8, unit: 'working_day' };
    changed.items.push({ ...structuredClone(changed.items[0]!), code: 'DY-30', seq: 30, name: '测试新增事项' });
    const res = await importDraft(s.dbh.db, changed, 'test', '测试');
    assert.equal(res.version, 2);
    let item = await s.get<ItemOut>('/api/agencies/daye/items/DY-23');
    assert.equal(item.body.timeLimit.value, 10, 'draft not visible');

    const diff = await diffVersions(s.dbh.db, 'daye', 1, 2);
    assert.deepEqual(diff.items.find((d) => d.code === 'DY-23')?.fields, ['timeLimit']);
    assert.equal(diff.items.find((d) => d.code === 'DY-30')?.change, 'added');

    await publish(s.dbh.db, 'daye', 2, '2999-01-01');
    item = await s.get<ItemOut>('/api/agencies/daye/items/DY-23');
    assert.equal(item.body.timeLimit.value, 10, 'future version not yet in force');
    const v2 = await s.get<ItemOut>('/api/agencies/daye/items/DY-23?version=2');
    assert.equal(v2.body.timeLimit.value, 8);
    assert.equal(v2.body.id, item.body.id, 'item identity is stable across versions');
    assert.notEqual(v2.body.versionId, item.body.versionId);

    const versions = await s.get<{ version: number; status: string; current: boolean }[]>('/api/agencies/daye/versions');
    assert.deepEqual(
      versions.body.map((v) => [v.version, v.status, v.current]),
      [
        [2, 'published', false],
        [1, 'published', true],
      ],
    );
    await assert.rejects(publish(s.dbh.db, 'daye', 2, '2999-01-01'), /只有草稿/);
    const same = await importDraft(s.dbh.db, changed, 'test');
    assert.equal(same.unchanged, true, 're-importing identical content adds no version');
  });
});
