import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  activationProblems,
  addMonthsDate,
  appointmentOnlyOffices,
  autoPassFor,
  checkRegime,
  contactlessFor,
  deferralFor,
  graceWindowOf,
  inForce,
  lastDay,
  measuresOf,
  periodStatus,
  promoteChannels,
  regimeDoc,
  type RegimeDocIn,
} from './emergency.ts';

const src = { text: '原文' };
function doc(over: Partial<RegimeDocIn> = {}): RegimeDocIn {
  return {
    agency: 'dalian',
    code: 'covid-2020',
    title: '疫情防控期间',
    source: { file: '000.txt', title: '通知' },
    notice: { title: '不见面经办', text: '请通过线上办理。' },
    measures: [
      {
        id: 'contactless',
        kind: 'contactless',
        title: '不见面',
        source: src,
        items: ['DL-01', 'DL-02'],
        channels: ['email', 'post'],
        wording: '请邮寄',
      },
      { id: 'deferred', kind: 'deferred', title: '延期', source: src, items: ['DL-13'], message: '延期办理', exceptChannels: ['window'] },
      { id: 'auto', kind: 'auto_pass', title: '透析', source: src, items: ['DL-01'], wording: '先自动通过' },
      { id: 'agreement', kind: 'extend_validity', title: '协议', source: src, target: 'institution_agreement', until: '2020-03-31', wording: '延长' },
      { id: 'grace', kind: 'contribution_grace', title: '欠费', source: src, enrolmentTypes: ['employee'], graceMonths: 3, wording: '3个月内补缴' },
      { id: 'rx', kind: 'long_prescription', title: '长处方', source: src, maxMonths: 3, wording: '最长三个月' },
      { id: 'appt', kind: 'appointment_only', title: '预约', source: src, offices: ['zhongshan'], wording: '须预约' },
      { id: 'info', kind: 'info', title: '说明', source: src },
    ],
    ...over,
  };
}

test('a full regime parses, with defaults filled in', () => {
  const d = regimeDoc.parse(doc());
  assert.equal(d.measures.length, 8);
  const appt = measuresOf(d, 'appointment_only')[0]!;
  assert.equal(appt.minWorkingDaysAhead, 1, 'bookings a working day ahead unless the regime says otherwise');
  assert.deepEqual(measuresOf(d, 'long_prescription')[0]!.items, []);
  assert.deepEqual(d.notes, []);
});

test('the schema refuses what the platform could not act on', () => {
  const bad = (over: Partial<RegimeDocIn>, pattern: RegExp) => {
    const r = regimeDoc.safeParse(doc(over));
    assert.equal(r.success, false);
    assert.match(r.error!.issues.map((i) => i.message).join(' '), pattern);
  };
  const m = doc().measures;
  bad({ measures: [...m, { ...m[0]!, title: '再来' }] }, /措施编号 contactless 重复/);
  bad({ measures: [...m.slice(0, 1), { ...(m[2] as object), items: ['DL-13'] } as never, m[1]!] }, /不能既暂缓办理又自动通过/);
  bad({ measures: [...m, { ...m[4]!, id: 'grace2' }] }, /欠费补缴宽限措施只能有一项/);
  bad({ measures: [{ ...(m[0] as object), items: ['DL-01', 'DL-01'] } as never] }, /事项 DL-01 重复列出/);
  bad({ measures: [{ ...(m[0] as object), items: ['dl-1'] } as never] }, /事项编码格式/);
  bad({ measures: [{ ...(m[3] as object), until: '2020-02-30' } as never] }, /无效日期/);
  bad({ measures: [{ ...(m[4] as object), graceMonths: 0 } as never] }, /./);
  bad({ measures: [{ ...(m[0] as object), kind: 'teleport' } as never] }, /./);
  bad({ measures: [] }, /./);
  // Unknown keys are typos, not data.
  bad({ measures: [{ ...(m[0] as object), chanels: ['post'] } as never] }, /./);
  assert.equal(regimeDoc.safeParse({ ...doc(), agency: 'beijing' }).success, false);
});

test('checkRegime finds items and offices the catalogue does not have', () => {
  const d = regimeDoc.parse(doc());
  const known = { items: new Set(['DL-01', 'DL-02', 'DL-13']), offices: new Set(['zhongshan']) };
  assert.deepEqual(checkRegime(d, known), []);
  const problems = checkRegime(d, { items: new Set(['DL-01']), offices: new Set() });
  assert.equal(problems.length, 3);
  assert.match(problems.join('\n'), /DL-02 不在本机构现行事项清单中/);
  assert.match(problems.join('\n'), /DL-13/);
  assert.match(problems.join('\n'), /办事地点 zhongshan 不存在/);
});

test('an extension date must lie after the start, and the end not before it', () => {
  const d = regimeDoc.parse(doc());
  assert.match(
    activationProblems(d, '2026-11-24', null)
      .map((p) => `${p.path}:${p.message}`)
      .join(),
    /measures:.*延长截止日 2020-03-31 不晚于开始日期 2026-11-24/,
  );
  assert.deepEqual(activationProblems(d, '2020-01-24', '2020-04-30'), []);
  assert.match(
    activationProblems(d, '2020-01-24', '2020-01-01')
      .map((p) => `${p.path}:${p.message}`)
      .join(),
    /endDate:结束日期不能早于开始日期/,
  );
});

test('measure look-ups: deferral respects the channels kept open, auto-pass and contactless by item', () => {
  const d = regimeDoc.parse(doc());
  assert.equal(deferralFor(d, 'dl-13', 'online')?.message, '延期办理');
  assert.equal(deferralFor(d, 'DL-13', 'window'), null, '窗口收件 stays open');
  assert.equal(deferralFor(d, 'DL-01', 'online'), null);
  assert.equal(autoPassFor(d, 'DL-01')?.id, 'auto');
  assert.equal(autoPassFor(d, 'DL-13'), null);
  assert.equal(contactlessFor(d, 'DL-02')?.id, 'contactless');
  assert.deepEqual(appointmentOnlyOffices(d, ['zhongshan', 'xigang']), [{ code: 'zhongshan', minWorkingDaysAhead: 1, measureId: 'appt' }]);
  const all = regimeDoc.parse(
    doc({ measures: [{ id: 'a', kind: 'appointment_only', title: '预约', source: src, offices: 'all', minWorkingDaysAhead: 2, wording: 'x' }] }),
  );
  assert.deepEqual(
    appointmentOnlyOffices(all, ['zhongshan', 'xigang']).map((o) => [o.code, o.minWorkingDaysAhead]),
    [
      ['zhongshan', 2],
      ['xigang', 2],
    ],
  );
});

test('promoted channels come first in the measure order, the rest keep the guide order', () => {
  const chans = [{ kind: 'window' }, { kind: 'phone' }, { kind: 'post' }, { kind: 'email' }, { kind: 'online' }];
  const out = promoteChannels(chans, { channels: ['email', 'post'] });
  assert.deepEqual(
    out.map((c) => `${c.kind}${c.promoted ? '*' : ''}`),
    ['email*', 'post*', 'window', 'phone', 'online'],
  );
  assert.deepEqual(
    promoteChannels(chans, null).map((c) => c.promoted),
    [false, false, false, false, false],
  );
});

test('periods: in force between start and end, not from the day it is switched off', () => {
  const p = { start: '2026-02-01', end: '2026-04-30', offOn: null };
  assert.equal(inForce(p, '2026-01-31'), false);
  assert.equal(inForce(p, '2026-02-01'), true);
  assert.equal(inForce(p, '2026-04-30'), true);
  assert.equal(inForce(p, '2026-05-01'), false);
  assert.equal(periodStatus(p, '2026-01-15'), 'scheduled');
  assert.equal(periodStatus(p, '2026-03-01'), 'active');
  assert.equal(periodStatus(p, '2026-05-02'), 'ended');
  const off = { ...p, offOn: '2026-03-10' };
  assert.equal(inForce(off, '2026-03-09'), true);
  assert.equal(inForce(off, '2026-03-10'), false);
  assert.equal(periodStatus(off, '2026-03-10'), 'ended');
  assert.equal(lastDay(off), '2026-03-10');
  assert.equal(lastDay(p), '2026-04-30');
  assert.equal(lastDay({ ...p, end: null }), null);
  const cancelled = { ...p, offOn: '2026-01-20' };
  assert.equal(periodStatus(cancelled, '2026-01-20'), 'cancelled');
  assert.equal(periodStatus(cancelled, '2026-03-01'), 'cancelled', 'a cancelled period never comes into force');
});

test('grace window: the period months, payable until its last day plus the grace months', () => {
  const m = measuresOf(regimeDoc.parse(doc()), 'contribution_grace')[0]!;
  assert.deepEqual(graceWindowOf('dalian', { start: '2020-01-24', end: null, offOn: null }, m), {
    agencyCode: 'dalian',
    types: ['employee'],
    from: '2020-01',
    to: null,
    payBy: null,
  });
  assert.deepEqual(graceWindowOf('dalian', { start: '2020-01-24', end: '2020-12-31', offOn: '2020-05-31' }, m), {
    agencyCode: 'dalian',
    types: ['employee'],
    from: '2020-01',
    to: '2020-05',
    payBy: '2020-08-31',
  });
  assert.equal(graceWindowOf('dalian', { start: '2020-02-01', end: null, offOn: '2020-01-20' }, m), null, 'cancelled before it started');
  assert.equal(addMonthsDate('2020-11-30', 3), '2021-02-28');
  assert.equal(addMonthsDate('2024-11-30', 3), '2025-02-28');
  assert.equal(addMonthsDate('2023-11-29', 3), '2024-02-29');
});
