/** data/appointments: every file parses, names real offices and items, and marks what the seeds do not state as 示例. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parseCatalog } from '../catalog/service.ts';
import { parseApptFile } from './seed.ts';

const files = readdirSync('data/appointments').filter((f) => f.endsWith('.yaml'));

test('each appointment file matches its agency catalogue (offices, items)', () => {
  assert.ok(files.length >= 4);
  for (const f of files) {
    const a = parseApptFile(readFileSync(`data/appointments/${f}`, 'utf8'), f);
    assert.equal(`${a.agency}.yaml`, f);
    const cat = parseCatalog(readFileSync(`data/${a.agency}.yaml`, 'utf8'), a.agency);
    const offices = new Set(cat.offices.map((o) => o.code));
    const items = new Set(cat.items.map((i) => i.code));
    for (const o of a.offices) assert.ok(offices.has(o.office), `${f}: office ${o.office}`);
    for (const b of a.businessTypes) for (const i of b.items) assert.ok(items.has(i), `${f}: item ${i}`);
    // Nothing the seeds do not say is presented as fact: hours and slot templates are examples here.
    for (const o of a.offices) {
      assert.equal(o.hoursExample, true, `${f}: ${o.office} hours are 示例`);
      for (const s of o.services) assert.equal(s.example, true, `${f}: ${o.office}/${s.business} is 示例`);
    }
  }
});

test('大连: 至少提前1个工作日 comes from the seed; business lines follow its appointment phone lists', () => {
  const a = parseApptFile(readFileSync('data/appointments/dalian.yaml', 'utf8'), 'dalian');
  assert.equal(a.settings.leadWorkingDays, 1);
  assert.ok(!a.settings.example.includes('leadWorkingDays'));
  assert.match(a.settings.source!, /至少提前1个工作日/);
  const cat = parseCatalog(readFileSync('data/dalian.yaml', 'utf8'), 'dalian');
  const names = new Map(a.businessTypes.map((b) => [b.code, b.name]));
  // Every office with an appointment phone for a business line offers that line.
  for (const o of cat.offices) {
    const offered = new Set(a.offices.find((x) => x.office === o.code)?.services.map((s) => names.get(s.business)));
    for (const p of o.appointmentPhones) assert.ok(offered.has(p.business), `${o.code} offers ${p.business}`);
  }
  assert.equal(a.businessTypes.find((b) => b.code === 'general')?.example, true);
});
