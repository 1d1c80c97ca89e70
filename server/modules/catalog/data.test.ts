/** The five agencies' data files: counts and spot checks against the seed text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseCatalog } from './service.ts';
import type { AgencyCatalog } from '../../../common/catalog.ts';

const load = (code: string): AgencyCatalog => parseCatalog(readFileSync(`data/${code}.yaml`, 'utf8'), code);
const situations = (c: AgencyCatalog) => c.prohibitionList.reduce((n, p) => n + p.situations.length, 0);
const item = (c: AgencyCatalog, code: string) => {
  const it = c.items.find((i) => i.code === code);
  assert.ok(it, `${code} exists`);
  return it;
};

test('大连: 14 contactless items, 4 departments, 9 district + centre + 3 county offices, 4 放宽 + 5 延期, appointment phones', () => {
  const c = load('dalian');
  assert.equal(c.items.length, 14);
  assert.equal(c.departments.length, 4);
  assert.equal(c.offices.filter((o) => o.kind === 'district_office').length, 9);
  assert.equal(c.offices.filter((o) => o.kind === 'county_center').length, 3);
  assert.equal(c.measures.filter((m) => m.kind === 'relaxed').length, 4);
  assert.equal(c.measures.filter((m) => m.kind === 'deferred').length, 5);
  const shenhe = c.departments.find((d) => d.code === 'shenhe')!;
  assert.deepEqual([shenhe.phones[0], shenhe.faxes[0], shenhe.emails[0]], ['0411-83709182', '0411-83709198', 'dlybydjy@163.com']);
  assert.equal(c.departments.find((d) => d.code === 'jiesuan')!.faxes[0], '0411-73709198');
  const dl10 = item(c, 'DL-10');
  assert.deepEqual([dl10.timeLimit.kind, dl10.timeLimit.value], ['working_days', 2]);
  assert.deepEqual(dl10.results, ['《参保凭证》（电子版）']);
  assert.ok(
    dl10.channels.some((ch) => ch.kind === 'email') &&
      dl10.channels.some((ch) => ch.kind === 'fax') &&
      dl10.channels.some((ch) => ch.kind === 'post'),
  );
  const appt = c.appointmentPhones[0]!;
  assert.equal(appt.areaCode, '0411');
  assert.ok(appt.entries.some((e) => e.place === '花园口' && e.phone === '39185571'));
  assert.match(c.measures.find((m) => m.kind === 'relaxed' && m.text.includes('透析'))!.text, /先自动通过/);
});

test('山东省直: every procedure of 鲁医保中心函〔2020〕3号 with its channels', () => {
  const c = load('shandong');
  assert.equal(c.agency.source.docNumber, '鲁医保中心函〔2020〕3号');
  assert.equal(c.items.length, 12);
  const grzh = c.departments.find((d) => d.code === 'grzh')!;
  assert.deepEqual(grzh.phones, ['81286763', '81286743', '81286773']);
  assert.deepEqual(grzh.faxes, ['86198991']);
  assert.deepEqual(grzh.emails, ['sdybgrzh@163.com']);
  const sd07 = item(c, 'SD-07');
  assert.ok(sd07.channels.some((ch) => ch.kind === 'fax' && ch.fax === '86198985'));
  assert.deepEqual(sd07.consultPhones, ['81286762', '86198972']);
  assert.ok(item(c, 'SD-06B').channels.some((ch) => ch.kind === 'email' && ch.email === 'zgerst@shandong.cn'));
  assert.ok(c.measures.some((m) => m.kind === 'extension' && m.title.includes('延至5月底')));
});

test('海城: 24 items in 6 categories, 4 halls, 4 禁办 situations, 6 容缺 entries', () => {
  const c = load('haicheng');
  assert.equal(c.items.length, 24);
  assert.equal(c.categories.length, 6);
  assert.equal(c.offices.length, 4);
  assert.equal(situations(c), 4);
  assert.equal(c.toleranceList.length, 6);
  assert.deepEqual(
    c.prohibitionList[0]!.situations.map((s) => s.text),
    ['应当从工伤保险基金中支付的', '应当由第三人负担的', '应当由公共卫生负担的', '在境外就医的'],
  );
  assert.deepEqual(item(c, 'HC-10').timeLimit, { text: '15 个工作日', kind: 'working_days', value: 15, unit: 'working_day' });
  assert.deepEqual(item(c, 'HC-19').complaintPhones, ['0412-3109200', '04123163190']);
  assert.deepEqual(
    c.toleranceList.map((t) => [t.item, t.deadlineDays]),
    [
      ['HC-21', 10],
      ['HC-22', 10],
      ['HC-23', 10],
      ['HC-24', 10],
      ['HC-19', 15],
      ['HC-20', 15],
    ],
  );
  assert.match(item(c, 'HC-24').serviceObject ?? '', /连续缴费满 10 个月/);
});

test('抚顺: 24 items in 8 categories, 10 halls, 禁办 per item (6 items, 11 situations), 容缺 3 rows at 20 working days', () => {
  const c = load('fushun');
  assert.equal(c.items.length, 24);
  assert.equal(c.categories.length, 8);
  assert.equal(c.offices.length, 10);
  assert.equal(c.prohibitionList.length, 6);
  assert.equal(situations(c), 11);
  assert.equal(new Set(c.toleranceList.map((t) => t.seq)).size, 3);
  assert.ok(c.toleranceList.every((t) => t.deadlineDays === 20));
  const fs22 = item(c, 'FS-22');
  assert.deepEqual([fs22.timeLimit.kind, fs22.timeLimit.value, fs22.timeLimit.unit], ['months', 3, 'month']);
  const fs13 = item(c, 'FS-13');
  assert.equal(fs13.timeLimit.kind, 'per_channel');
  assert.deepEqual([fs13.timeLimit.perChannel?.[1]?.min, fs13.timeLimit.perChannel?.[1]?.value], [2, 3]);
  const jb = c.prohibitionList.find((p) => p.items.includes('FS-21'))!;
  assert.ok(jb.situations.some((s) => s.text === '医保连续缴费不满十个月'));
  assert.deepEqual(c.offices.find((o) => o.seq === 7)?.phones, ['024-53039282']);
});

test('大冶: 29 items in 10 categories with levels, channels, notes and phones', () => {
  const c = load('daye');
  assert.equal(c.items.length, 29);
  assert.equal(c.categories.length, 10);
  const dy23 = item(c, 'DY-23');
  assert.equal(dy23.name, '生育津贴支付');
  assert.deepEqual(dy23.notes, [
    '参保女职工领取生育津贴（顺产128天、剖宫产143天），参保男职工领取护理津贴（15天）',
    '参保职工连续缴满6个月，第7个月生效。',
  ]);
  const dy11 = item(c, 'DY-11');
  assert.deepEqual([dy11.timeLimit.kind, dy11.timeLimit.value, dy11.timeLimit.rule], ['working_days', 9, '不含资料邮寄时间']);
  assert.equal(dy11.steps.length, 4);
  assert.equal(item(c, 'DY-20').notes[1], '产前检查费报销累计额度500元');
  assert.equal(item(c, 'DY-17').notes[0], '慢性病最多只能申请三种');
  assert.deepEqual(item(c, 'DY-17').levels, ['市级', '乡镇（街道）']);
  assert.deepEqual(item(c, 'DY-03').levels, ['市级', '乡镇（街道）', '村（社区）']);
  assert.equal(item(c, 'DY-01').consultPhones[0], '0714-8717336');
  assert.ok(item(c, 'DY-01').channels.some((ch) => ch.kind === 'mobile' && ch.app === '“鄂汇办”APP'));
});

test('every item has a category of the national list or is marked local', () => {
  for (const code of ['dalian', 'shandong', 'haicheng', 'fushun', 'daye']) {
    const c = load(code);
    for (const it of c.items) {
      const cat = c.categories.find((x) => x.code === it.category)!;
      assert.ok(it.local || it.national || cat.national, `${it.code} needs a national item or local: true`);
    }
  }
});
