import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { itemEffect, remoteFilingKind } from './effects.ts';

const items = (agency: string) =>
  (parse(readFileSync(`data/${agency}.yaml`, 'utf8')) as { items: { code: string; name: string; national?: number }[] }).items;
const effectOf = (agency: string, code: string) => itemEffect(items(agency).find((i) => i.code === code)!);

test('the five catalogues map to registry effects by item', () => {
  assert.equal(effectOf('daye', 'DY-01'), 'enrol_unit');
  assert.equal(effectOf('daye', 'DY-02'), 'enrol_person');
  assert.equal(effectOf('daye', 'DY-03'), 'enrol_person');
  assert.equal(effectOf('daye', 'DY-04'), 'change_unit');
  assert.equal(effectOf('daye', 'DY-05'), 'change_person');
  assert.equal(effectOf('daye', 'DY-09'), 'account_payout');
  assert.equal(effectOf('daye', 'DY-10'), 'certificate');
  assert.equal(effectOf('daye', 'DY-11'), 'transfer');
  assert.equal(effectOf('daye', 'DY-12'), 'remote_filing');
  assert.equal(effectOf('daye', 'DY-17'), 'chronic_cert');
  assert.equal(effectOf('daye', 'DY-19'), 'reimbursement');
  assert.equal(effectOf('daye', 'DY-20'), 'maternity_medical');
  assert.equal(effectOf('daye', 'DY-23'), 'maternity_allowance');
  assert.equal(effectOf('daye', 'DY-07'), null, '查询 changes nothing');
  assert.equal(effectOf('fushun', 'FS-11'), 'certificate');
  assert.equal(effectOf('haicheng', 'HC-24'), 'maternity_allowance');
  assert.equal(effectOf('dalian', 'DL-12'), 'enrol_person');
  assert.equal(effectOf('shandong', 'SD-07'), 'remote_filing');
});

test('remote filing kinds follow the item names', () => {
  assert.equal(remoteFilingKind('异地安置退休人员备案'), 'resettled');
  assert.equal(remoteFilingKind('异地转诊人员备案'), 'referral');
  assert.equal(remoteFilingKind('其他临时外出就医人员备案'), 'other_temporary');
});
