/** The example regimes in data/emergency/: valid, consistent with the catalogues, and citing the seeds verbatim. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseCatalog } from '../catalog/service.ts';
import { checkRegime, measuresOf, regimeDoc, regimeFile, type RegimeDoc } from '../../../common/emergency.ts';

const SEEDS = '../shared/seeds';
const load = (agency: string): RegimeDoc[] =>
  regimeFile.parse(parse(readFileSync(`data/emergency/${agency}.yaml`, 'utf8'))).regimes.map((r) => regimeDoc.parse(r));
/** The seed with markdown escapes undone and whitespace dropped, as the data files transcribe it. */
const seed = (file: string) => readFileSync(`${SEEDS}/${file}`, 'utf8').replaceAll('\\_', '_').replace(/\s+/g, '');
const squash = (s: string) => s.replace(/\s+/g, '');

for (const agency of ['dalian', 'shandong']) {
  test(`${agency}: the example regime is valid against its catalogue and every source text is in the seed`, (t) => {
    const cat = parseCatalog(readFileSync(`data/${agency}.yaml`, 'utf8'), agency);
    const [doc] = load(agency);
    assert.ok(doc);
    assert.deepEqual(checkRegime(doc, { items: new Set(cat.items.map((i) => i.code)), offices: new Set(cat.offices.map((o) => o.code)) }), []);
    let text: string;
    try {
      text = seed(doc.source.file);
    } catch {
      t.skip('seeds not available here');
      return;
    }
    // Seeds use half-width punctuation in places; compare ignoring punctuation width.
    const norm = (s: string) =>
      squash(s).replace(/[,，]/g, ',').replace(/[:：]/g, ':').replace(/[;；]/g, ';').replace(/[(（]/g, '(').replace(/[)）]/g, ')');
    const hay = norm(text);
    for (const m of doc.measures) {
      // A source may join a heading and its paragraph, or list items run together: check each sentence.
      for (const part of m.source.text.split(/(?<=[。：])/).filter((p) => p.trim().length > 3))
        assert.ok(hay.includes(norm(part).replace(/^\d+\./, '')), `${m.id}: “${part}” is in ${doc.source.file}`);
    }
  });
}

test('大连: the 2020 measures — 14 contactless items, 3-month grace, agreements to 2020-03-31, 3-month prescriptions, dialysis auto-pass, 5 deferred, appointments', () => {
  const [d] = load('dalian');
  assert.equal(measuresOf(d!, 'contactless')[0]!.items.length, 14);
  assert.equal(measuresOf(d!, 'contribution_grace')[0]!.graceMonths, 3);
  const ext = measuresOf(d!, 'extend_validity')[0]!;
  assert.deepEqual([ext.target, ext.until], ['institution_agreement', '2020-03-31']);
  assert.equal(measuresOf(d!, 'long_prescription')[0]!.maxMonths, 3);
  assert.match(measuresOf(d!, 'auto_pass')[0]!.source.text, /透析审核业务调整为疫情期间先自动通过/);
  assert.match(measuresOf(d!, 'deferred')[0]!.source.text, /5\.行业和省属机关事业单位退休金报盘/);
  const appt = measuresOf(d!, 'appointment_only')[0]!;
  assert.deepEqual([appt.offices, appt.minWorkingDaysAhead], ['all', 1]);
});

test('山东: 3号函 — all 12 items contactless, 手工报销 deferred except by post and e-mail, deadline extensions as text', () => {
  const [d] = load('shandong');
  assert.equal(d!.source.docNo, '鲁医保中心函〔2020〕3号');
  assert.equal(measuresOf(d!, 'contactless')[0]!.items.length, 12);
  const def = measuresOf(d!, 'deferred')[0]!;
  assert.deepEqual(
    [def.items, def.exceptChannels],
    [
      ['SD-08', 'SD-09'],
      ['post', 'email'],
    ],
  );
  assert.equal(measuresOf(d!, 'auto_pass').length, 0);
  assert.equal(measuresOf(d!, 'contribution_grace').length, 0);
  assert.ok(measuresOf(d!, 'info').some((m) => m.items.includes('SD-03') && /延至5月底/.test(m.title)));
});
