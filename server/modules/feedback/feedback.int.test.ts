/**
 * 好差评 and 投诉 over HTTP on a real database: rating only after 办结 and only once, a 差评 opening
 * a 整改 task with a working-day deadline, the call-back and result reaching the applicant,
 * appeals decided by a supervisor who is not the handler, the complaint lifecycle, per-agency
 * deadlines, permissions across agencies, and the deadline warnings as idempotent jobs.
 * The server's clock starts on 2025-09-30 (Tuesday), the day before the National Day holiday.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { registerCitizen, staffClient } from '../../../test/client.ts';
import { submittedCase, type Citizen } from '../../../test/factories.ts';
import { mutableClock } from '../../platform/clock.ts';
import { staffTotp } from '../../../test/totp.ts';
import { sweepFeedbackDeadlines } from './jobs.ts';
import { rateSubject, type RatingSubject } from './ratings.ts';
import { chinaDate } from '../../platform/clock.ts';
import type { Ctx, UserActor } from '../../http/actor.ts';

const clock = mutableClock('2025-09-30T02:00:00Z');
let s: TestServer;
let citizen: Awaited<ReturnType<typeof registerCitizen>>;
let other: Awaited<ReturnType<typeof registerCitizen>>;
type Staff = Awaited<ReturnType<typeof staffClient>>;
let clerk: Staff;
/** The reviewer who completes the cases: the handler rated. Also a supervisor, to prove they cannot judge their own appeal. */
let handler: Staff;
let sup: Staff;
let admin: Staff;
let plainReviewer: Staff;
let hcSup: Staff;

before(async () => {
  s = await startServer({ clock });
  citizen = await registerCitizen(s, { name: '刘敏' });
  other = await registerCitizen(s, { name: '赵六' });
  clerk = await staffClient(s, { agency: 'daye', roles: ['acceptor'], name: '受理员甲' });
  handler = await staffClient(s, { agency: 'daye', roles: ['reviewer', 'supervisor'], name: '审核员乙' });
  sup = await staffClient(s, { agency: 'daye', roles: ['supervisor'], name: '监督员丙' });
  admin = await staffClient(s, { agency: 'daye', roles: ['agency_admin'], name: '管理员丁' });
  plainReviewer = await staffClient(s, { agency: 'daye', roles: ['reviewer'], name: '审核员戊' });
  hcSup = await staffClient(s, { agency: 'haicheng', roles: ['supervisor', 'agency_admin'], name: '海城监督员' });
});
after(async () => {
  await s.close();
});

/** 参保人员参保信息查询 (DY-08: no registry effect, no rules) online; returns the case id while under review. */
async function underReview(who: Citizen = citizen): Promise<{ id: number; caseNo: string }> {
  const { id, caseNo } = await submittedCase({ server: s, citizen: who, item: 'DY-08' });
  assert.equal((await clerk.client.post(`/api/cases/${id}/actions/accept`, {})).body.status, 'accepted');
  assert.equal((await handler.client.post(`/api/cases/${id}/actions/start_review`, {})).body.status, 'reviewing');
  return { id, caseNo };
}
async function completed(who: Citizen = citizen) {
  const k = await underReview(who);
  const done = await handler.client.post(`/api/cases/${k.id}/actions/approve`, {});
  assert.equal(done.body.status, 'approved', JSON.stringify(done.body));
  return k;
}
const outbox = (channel: 'sms' | 'inapp' | 'email', recipient: string) =>
  s.dbh.db.selectFrom('outbox').select(['subject', 'body']).where('channel', '=', channel).where('recipient', '=', recipient).orderBy('id').execute();
const audits = (action: string) => s.dbh.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

test('rating only after 办结, only by the applicant, once per case; the row carries case, item, office and handler', async () => {
  const k = await underReview();
  const early = await citizen.client.post(`/api/cases/${k.id}/rating`, { level: 5, comment: '' });
  assert.equal(early.status, 409);
  assert.equal(early.body.error.code, 'RATING_NOT_ALLOWED');
  const panel = await citizen.client.get(`/api/cases/${k.id}/rating`);
  assert.equal(panel.body.canRate, false);
  assert.match(panel.body.reason, /办结后/);

  assert.equal((await handler.client.post(`/api/cases/${k.id}/actions/approve`, {})).body.status, 'approved');
  assert.equal((await citizen.client.get(`/api/cases/${k.id}/rating`)).body.canRate, true);
  assert.equal((await other.client.post(`/api/cases/${k.id}/rating`, { level: 1, comment: '别人的办件' })).body.error.code, 'CASE_NOT_FOUND');
  assert.equal((await sup.client.post(`/api/cases/${k.id}/rating`, { level: 5 })).body.error.code, 'FORBIDDEN');
  assert.equal((await citizen.client.post(`/api/cases/${k.id}/rating`, { level: 6 })).body.error.code, 'VALIDATION_FAILED');

  const ok = await citizen.client.post(`/api/cases/${k.id}/rating`, { level: 5, comment: '办得很快' });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.canRate, false);
  assert.equal(ok.body.rating.levelLabel, '非常满意');
  assert.equal(ok.body.rating.rectification, null, 'a good rating opens no 整改');
  const again = await citizen.client.post(`/api/cases/${k.id}/rating`, { level: 1, comment: '再评一次试试' });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'ALREADY_RATED');

  const row = await s.dbh.db.selectFrom('ratings').selectAll().where('case_id', '=', k.id).executeTakeFirstOrThrow();
  assert.equal(row.subject_kind, 'case');
  assert.equal(row.case_no, k.caseNo);
  assert.equal(row.item_code, 'DY-08');
  assert.equal(row.agency_code, 'daye');
  assert.equal(Number(row.handler_id), handler.id, 'the handler is the staff who completed the case');
  assert.equal(row.level, 5);
  assert.equal(row.bad, false);
  assert.equal((await audits('rating.create')).length, 1);
});

test('a 差评 opens a 整改 task due in 5 working days over 国庆; call-back and result reach the applicant', async () => {
  const k = await completed();
  const noReason = await citizen.client.post(`/api/cases/${k.id}/rating`, { level: 2, comment: '' });
  assert.equal(noReason.status, 400);
  assert.equal(noReason.body.error.details[0].field, 'comment');
  const rated = await citizen.client.post(`/api/cases/${k.id}/rating`, { level: 2, comment: '窗口让我跑了两趟，态度也不好' });
  assert.equal(rated.status, 201, JSON.stringify(rated.body));
  const rect = rated.body.rating.rectification;
  assert.equal(rect.status, 'open');
  assert.equal(rect.dueDate, '2025-10-14', '09-30 + 5 working days: 10-09, 10-10, 10-11 (调休), 10-13, 10-14');

  // The supervisors are told (in-app), and the desk lists the task by deadline.
  assert.ok((await outbox('inapp', String(sup.id))).some((m) => /差评整改/.test(m.subject ?? '') && /2025-10-14/.test(m.body)));
  const list = await sup.client.get('/api/staff/feedback/rectifications');
  assert.equal(list.status, 200);
  const item = list.body.items.find((x: { caseNo: string }) => x.caseNo === k.caseNo);
  assert.ok(item);
  assert.equal(item.workingDaysLeft, 5);
  assert.equal(item.levelLabel, '不满意');
  assert.equal(item.handlerName, '审核员乙');
  const id = item.id as number;

  const detail = await sup.client.get(`/api/staff/feedback/rectifications/${id}`);
  assert.equal(detail.body.applicantPhone, citizen.mobile, 'the supervisor needs the number to call back');
  assert.deepEqual(detail.body.can, { callback: true, result: false, appeal: true, decide: false });
  assert.equal((await audits('rectification.view')).length, 1, 'viewing personal data is audited');

  const early = await sup.client.post(`/api/staff/feedback/rectifications/${id}/result`, { result: '已对窗口人员批评教育' });
  assert.equal(early.body.error.code, 'FEEDBACK_STATE_INVALID');
  const future = await sup.client.post(`/api/staff/feedback/rectifications/${id}/callback`, {
    at: '2025-10-09T02:00:00Z',
    channel: 'phone',
    note: '申请人说要补的材料没有一次说清',
  });
  assert.equal(future.status, 400);
  const before = await sup.client.post(`/api/staff/feedback/rectifications/${id}/callback`, {
    at: '2025-09-29T02:00:00Z',
    channel: 'phone',
    note: '回访时间早于差评',
  });
  assert.equal(before.body.error.details[0].field, 'at');
  clock.advance(20 * 60_000); // within the staff sessions' 30-minute idle timeout
  const cb = await sup.client.post(`/api/staff/feedback/rectifications/${id}/callback`, {
    at: '2025-09-30T02:15:00Z',
    channel: 'phone',
    note: '申请人说要补的材料没有一次说清',
  });
  assert.equal(cb.status, 200, JSON.stringify(cb.body));
  assert.equal(cb.body.status, 'in_progress');
  const res = await sup.client.post(`/api/staff/feedback/rectifications/${id}/result`, { result: '已约谈窗口人员，一次性告知清单张贴到窗口。' });
  assert.equal(res.body.status, 'closed');

  const seen = await citizen.client.get(`/api/cases/${k.id}/rating`);
  assert.equal(seen.body.rating.rectification.status, 'closed');
  assert.equal(seen.body.rating.rectification.callbackChannelLabel, '电话回访');
  assert.match(seen.body.rating.rectification.callbackNote, /一次说清/);
  assert.match(seen.body.rating.rectification.result, /一次性告知清单/);
  assert.ok(
    (await outbox('sms', citizen.mobile)).some((m) => /已回访整改/.test(m.body)),
    'the applicant gets an SMS',
  );
  assert.ok((await outbox('inapp', String(citizen.user.id))).some((m) => /已处理/.test(m.subject ?? '')));
  assert.equal((await audits('rectification.callback')).length, 1);
  assert.equal((await audits('rectification.result')).length, 1);
});

test('an appeal is decided by a supervisor who is not the handler; upheld keeps the rating but excludes it', async () => {
  const k = await completed();
  const rated = await citizen.client.post(`/api/cases/${k.id}/rating`, { level: 1, comment: '随便点的，其实没问题' });
  const ratingId = rated.body.rating.id as number;
  const good = await completed();
  const goodRating = (await citizen.client.post(`/api/cases/${good.id}/rating`, { level: 4, comment: '' })).body.rating.id;
  assert.equal(
    (await admin.client.post(`/api/staff/feedback/ratings/${goodRating}/appeal`, { kind: 'mistaken', reason: '好评无须申诉' })).body.error.code,
    'FEEDBACK_STATE_INVALID',
  );

  const filed = await admin.client.post(`/api/staff/feedback/ratings/${ratingId}/appeal`, {
    kind: 'mistaken',
    reason: '申请人来电说明误点了非常不满意',
  });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  assert.equal(
    (await admin.client.post(`/api/staff/feedback/ratings/${ratingId}/appeal`, { kind: 'malicious', reason: '再次申诉试试' })).body.error.code,
    'APPEAL_EXISTS',
  );
  const appeals = await sup.client.get('/api/staff/feedback/appeals');
  const ap = appeals.body.items.find((x: { ratingId: number }) => x.ratingId === ratingId);
  assert.equal(ap.kindLabel, '误评');
  assert.equal(ap.statusLabel, '待裁决');

  const self = await handler.client.post(`/api/staff/feedback/appeals/${ap.id}/decision`, { outcome: 'upheld', note: '我觉得成立' });
  assert.equal(self.status, 403);
  assert.equal(self.body.error.code, 'APPEAL_SELF_DECISION', 'the handler rated cannot decide, even as a supervisor');
  const rectId = ap.rectificationId as number;
  const asHandler = await handler.client.get(`/api/staff/feedback/rectifications/${rectId}`);
  assert.equal(asHandler.body.can.decide, false);
  assert.match(asHandler.body.decideBlocked, /被评价的经办人/);
  assert.equal((await admin.client.post(`/api/staff/feedback/appeals/${ap.id}/decision`, { outcome: 'upheld', note: '管理员不是监督' })).status, 403);

  const decided = await sup.client.post(`/api/staff/feedback/appeals/${ap.id}/decision`, { outcome: 'upheld', note: '经回访核实为误评' });
  assert.equal(decided.status, 200, JSON.stringify(decided.body));
  assert.equal(
    (await sup.client.post(`/api/staff/feedback/appeals/${ap.id}/decision`, { outcome: 'rejected', note: '再裁决' })).body.error.code,
    'FEEDBACK_STATE_INVALID',
  );

  const row = await s.dbh.db.selectFrom('ratings').selectAll().where('id', '=', ratingId).executeTakeFirstOrThrow();
  assert.equal(row.excluded, true);
  assert.equal(row.appeal_outcome, 'upheld');
  const rect = await s.dbh.db.selectFrom('rectifications').select('status').where('id', '=', rectId).executeTakeFirstOrThrow();
  assert.equal(rect.status, 'waived');
  const seen = await citizen.client.get(`/api/cases/${k.id}/rating`);
  assert.equal(seen.body.rating.level, 1, 'the rating stays on record');
  assert.equal(seen.body.rating.excluded, true);
  // The satisfaction figure leaves it out (what the dashboard's SQL does).
  const fig = await s.dbh.db
    .selectFrom('ratings')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('level').as('min')])
    .where('agency_code', '=', 'daye')
    .where('excluded', '=', false)
    .executeTakeFirstOrThrow();
  assert.ok(Number(fig.min) >= 2, 'the excluded 非常不满意 is not counted');
  assert.equal((await audits('appeal.file')).length, 1);
  assert.equal((await audits('appeal.decide')).length, 1);
});

test('complaints: online with a case link and by phone; 已登记 → 处理中 → 已答复 with the answer in-app and by SMS', async () => {
  const hc = await s.get<any>('/api/agencies/haicheng/complaint-phones?item=HC-01');
  assert.deepEqual(
    hc.body.complaint.map((p: { phone: string }) => p.phone),
    ['0412-3163130'],
  );
  const hcAll = await s.get<any>('/api/agencies/haicheng/complaint-phones');
  assert.ok(hcAll.body.complaint.length >= 3, 'every complaint phone 海城 prints, with its items');
  const fs = await s.get<any>('/api/agencies/fushun/complaint-phones');
  assert.deepEqual(
    fs.body.complaint.map((p: { phone: string }) => p.phone),
    ['53997899'],
  );
  const dl = await s.get<any>('/api/agencies/dalian/complaint-phones');
  assert.equal(dl.body.complaint.length, 0);
  assert.match(dl.body.source, /未列投诉电话/);
  assert.ok(dl.body.offices.length > 0, "Dalian's offices' phones are shown instead");

  const k = await completed();
  const mineElse = await completed(other);
  assert.equal(
    (
      await citizen.client.post('/api/complaints', {
        agencyCode: 'daye',
        subjectKind: 'case',
        caseId: mineElse.id,
        content: '别人的办件也想投诉一下看看',
      })
    ).body.error.code,
    'CASE_NOT_FOUND',
  );
  const noOffice = await citizen.client.post('/api/complaints', { agencyCode: 'daye', subjectKind: 'office', content: '大厅排队时间太长了，没人管' });
  assert.equal(noOffice.status, 400);
  assert.equal(noOffice.body.error.details[0].field, 'officeId');
  const short = await citizen.client.post('/api/complaints', { agencyCode: 'daye', subjectKind: 'other', content: '太慢' });
  assert.equal(short.body.error.code, 'VALIDATION_FAILED');

  const online = await citizen.client.post('/api/complaints', {
    agencyCode: 'daye',
    subjectKind: 'case',
    caseId: k.id,
    content: '办件办结了但是系统里的信息还没有更新',
  });
  assert.equal(online.status, 201, JSON.stringify(online.body));
  assert.equal(online.body.status, 'registered');
  assert.equal(online.body.caseNo, k.caseNo);
  assert.match(online.body.complaintNo, /^TS-DAYE-20250930-\d{6}$/);
  assert.equal(online.body.dueDate, '2025-10-21', 'default 10 working days after 09-30, skipping 国庆');
  assert.ok(
    (await outbox('sms', citizen.mobile)).some((m) => m.body.includes(online.body.complaintNo)),
    'the complainant is told the number',
  );

  // A call to the complaint phone, registered by the clerk; the caller's mobile links it to their account.
  const phone = await clerk.client.post('/api/staff/feedback/complaints', {
    subjectKind: 'person',
    caseNo: k.caseNo,
    personName: '3号窗口',
    complainantName: '刘敏',
    complainantPhone: citizen.mobile,
    phoneLine: '0714-8717336',
    content: '3号窗口工作人员办理时一直在看手机',
  });
  assert.equal(phone.status, 201, JSON.stringify(phone.body));
  assert.equal(phone.body.channel, 'phone');
  const mine = await citizen.client.get('/api/complaints/mine');
  assert.deepEqual(mine.body.items.map((c: { id: number }) => c.id).sort(), [online.body.id, phone.body.id].sort());

  assert.equal((await clerk.client.post(`/api/staff/feedback/complaints/${phone.body.id}/take`)).status, 403, 'the desk works complaints');
  const taken = await sup.client.post(`/api/staff/feedback/complaints/${phone.body.id}/take`);
  assert.equal(taken.body.status, 'processing');
  assert.equal(taken.body.statusLabel, '处理中');
  assert.equal((await sup.client.post(`/api/staff/feedback/complaints/${phone.body.id}/take`)).body.error.code, 'FEEDBACK_STATE_INVALID');
  const answered = await sup.client.post(`/api/staff/feedback/complaints/${phone.body.id}/answer`, {
    answer: '经查属实，已对该工作人员批评教育并调整岗位。',
  });
  assert.equal(answered.body.status, 'answered');
  assert.equal(
    (await sup.client.post(`/api/staff/feedback/complaints/${phone.body.id}/answer`, { answer: '再答复一次试试' })).body.error.code,
    'FEEDBACK_STATE_INVALID',
  );
  const seen = await citizen.client.get(`/api/complaints/${phone.body.id}`);
  assert.equal(seen.body.statusLabel, '已答复');
  assert.match(seen.body.answer, /批评教育/);
  assert.ok((await outbox('sms', citizen.mobile)).some((m) => /已答复.*批评教育/.test(m.body)));
  assert.ok((await outbox('inapp', String(citizen.user.id))).some((m) => /已答复/.test(m.subject ?? '')));

  const desk = await sup.client.get('/api/staff/feedback/complaints?status=all');
  assert.ok(desk.body.items.some((c: { id: number }) => c.id === online.body.id));
  const onlyPhone = await sup.client.get('/api/staff/feedback/complaints?status=all&channel=phone');
  assert.ok(onlyPhone.body.items.every((c: { channel: string }) => c.channel === 'phone'));
  for (const a of ['complaint.create', 'complaint.register', 'complaint.take', 'complaint.answer'])
    assert.equal((await audits(a)).length >= 1, true, a);
});

test("another agency's staff, non-desk staff, other citizens and anonymous users see nothing", async () => {
  const k = await completed();
  await citizen.client.post(`/api/cases/${k.id}/rating`, { level: 1, comment: '一直没人接电话' });
  const mine = await sup.client.get('/api/staff/feedback/rectifications');
  const rect = mine.body.items.find((x: { caseNo: string }) => x.caseNo === k.caseNo);
  const complaint = await citizen.client.post('/api/complaints', {
    agencyCode: 'daye',
    subjectKind: 'other',
    content: '网站经常打不开，无法在线申请',
  });

  const hcList = await hcSup.client.get('/api/staff/feedback/rectifications?status=all');
  assert.equal(hcList.status, 200);
  assert.ok(!hcList.body.items.some((x: { id: number }) => x.id === rect.id));
  assert.equal((await hcSup.client.get(`/api/staff/feedback/rectifications/${rect.id}`)).body.error.code, 'FEEDBACK_NOT_FOUND');
  assert.equal(
    (
      await hcSup.client.post(`/api/staff/feedback/rectifications/${rect.id}/callback`, {
        at: '2025-09-30T01:00:00Z',
        channel: 'phone',
        note: '越权回访',
      })
    ).body.error.code,
    'FEEDBACK_NOT_FOUND',
  );
  assert.equal(
    (await hcSup.client.post(`/api/staff/feedback/ratings/${rect.ratingId}/appeal`, { kind: 'malicious', reason: '越权申诉一下' })).body.error.code,
    'FEEDBACK_NOT_FOUND',
  );
  assert.equal((await hcSup.client.get(`/api/complaints/${complaint.body.id}`)).body.error.code, 'FEEDBACK_NOT_FOUND');
  assert.ok(
    !(await hcSup.client.get('/api/staff/feedback/complaints?status=all')).body.items.some((c: { id: number }) => c.id === complaint.body.id),
  );
  assert.equal((await plainReviewer.client.get('/api/staff/feedback/rectifications')).status, 403, 'a reviewer is not on the desk');
  assert.equal((await plainReviewer.client.get(`/api/complaints/${complaint.body.id}`)).body.error.code, 'FEEDBACK_NOT_FOUND');
  assert.equal((await other.client.get(`/api/complaints/${complaint.body.id}`)).body.error.code, 'FEEDBACK_NOT_FOUND');
  assert.equal((await other.client.get(`/api/cases/${k.id}/rating`)).body.error.code, 'CASE_NOT_FOUND');
  assert.equal((await s.get<any>(`/api/complaints/${complaint.body.id}`)).status, 401);
  assert.equal((await s.get<any>('/api/staff/feedback/rectifications')).status, 401);
});

test('each agency sets its own deadlines; until then the stated defaults apply', async () => {
  const d = await admin.client.get('/api/staff/feedback/settings');
  assert.deepEqual([d.body.rectifyDays, d.body.complaintDays, d.body.isDefault], [5, 10, true]);
  assert.equal((await sup.client.put('/api/staff/feedback/settings', { rectifyDays: 3, complaintDays: 7 })).status, 403);
  assert.equal((await admin.client.put('/api/staff/feedback/settings', { rectifyDays: 0, complaintDays: 7 })).status, 400);
  const put = await admin.client.put('/api/staff/feedback/settings', { rectifyDays: 3, complaintDays: 7 });
  assert.deepEqual([put.body.rectifyDays, put.body.complaintDays, put.body.isDefault], [3, 7, false]);
  assert.equal((await hcSup.client.get('/api/staff/feedback/settings')).body.isDefault, true, 'another agency keeps the defaults');
  const k = await completed();
  const r = await citizen.client.post(`/api/cases/${k.id}/rating`, { level: 2, comment: '等了很久没人处理' });
  assert.equal(r.body.rating.rectification.dueDate, '2025-10-11', '3 working days: 10-09, 10-10 and the 调休 Saturday 10-11');
  assert.equal((await audits('feedback.settings')).length, 1);
  await admin.client.put('/api/staff/feedback/settings', { rectifyDays: 5, complaintDays: 10 });
});

test('the rating service takes a hall visit as its subject too (appointments call it after the merge)', async () => {
  const db = s.dbh.db;
  const me: UserActor = {
    kind: 'user',
    id: citizen.user.id,
    userKind: 'citizen',
    name: '刘敏',
    login: citizen.mobile,
    mobile: citizen.mobile,
    idNo: citizen.idNo,
    unitId: null,
    agencyCode: null,
    officeId: null,
    departmentCode: null,
    roles: [],
    badCredit: false,
    idVerified: true,
  };
  const office = await db
    .selectFrom('offices')
    .select(['id'])
    .where('agency_code', '=', 'daye')
    .where('code', '=', 'daye-city-hall')
    .executeTakeFirstOrThrow();
  const visit: RatingSubject = {
    kind: 'visit',
    caseId: null,
    appointmentId: 9001,
    agencyCode: 'daye',
    officeId: Number(office.id),
    itemCode: 'DY-08',
    itemName: '参保人员参保信息查询',
    caseNo: null,
    handlerId: clerk.id,
    raterUserId: citizen.user.id,
    contactPhone: citizen.mobile,
  };
  const rate = (actor: UserActor, level: number) =>
    db.transaction().execute((trx) => {
      const ctx: Ctx = { db: trx, now: clock.now(), today: chinaDate(clock.now()), actor };
      return rateSubject(ctx, visit, { level, comment: '大厅叫号混乱，等了两个小时' });
    });
  const id = await rate(me, 1);
  const row = await db.selectFrom('ratings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.deepEqual([row.subject_kind, row.appointment_id, row.case_id, Number(row.office_id)], ['visit', 9001, null, Number(office.id)]);
  const rect = await db.selectFrom('rectifications').selectAll().where('rating_id', '=', id).executeTakeFirstOrThrow();
  assert.equal(rect.status, 'open');
  assert.equal(Number(rect.office_id), Number(office.id));
  await assert.rejects(rate(me, 5), (e: { code?: string }) => e.code === 'ALREADY_RATED');
  await assert.rejects(rate({ ...me, id: other.user.id }, 5), (e: { code?: string }) => e.code === 'FORBIDDEN');
  const desk = await sup.client.get('/api/staff/feedback/rectifications');
  const listed = desk.body.items.find((x: { ratingId: number }) => x.ratingId === id);
  assert.equal(listed.subjectKind, 'visit');
  assert.equal(listed.officeName, '市政务服务大厅');
});

test('deadline jobs warn the supervisors the working day before, on the day and after, once each, in-app and by SMS', async () => {
  const k = await completed();
  const r = await citizen.client.post(`/api/cases/${k.id}/rating`, { level: 1, comment: '材料被弄丢了一份' });
  const due = r.body.rating.rectification.dueDate;
  assert.equal(due, '2025-10-14');
  const rect = await s.dbh.db.selectFrom('rectifications').select(['id', 'warn_date']).where('case_id', '=', k.id).executeTakeFirstOrThrow();
  assert.equal(rect.warn_date, '2025-10-13');
  await s.dbh.db.updateTable('users').set({ mobile: '13912340001' }).where('id', '=', sup.id).execute();
  await s.runner.runOnce();
  const key = (t: string) => `fb:rectification:${t}:${rect.id}:${due}`;
  const jobs = () =>
    s.dbh.db.selectFrom('jobs').select(['dedupe_key', 'status']).where('dedupe_key', 'like', `fb:rectification:%:${rect.id}:%`).execute();
  assert.equal((await jobs()).length, 0, 'nothing to warn about yet');

  clock.set('2025-10-13T01:00:00Z');
  await s.runner.runOnce();
  assert.deepEqual(await jobs(), [{ dedupe_key: key('before'), status: 'done' }]);
  assert.equal((await sweepFeedbackDeadlines(s.dbh.db, clock.now())).enqueued, 0, 'a second sweep enqueues nothing');
  assert.ok((await outbox('inapp', String(sup.id))).some((m) => /【预警】/.test(m.subject ?? '') && /明天到期/.test(m.body)));
  const sms = await s.dbh.db.selectFrom('sms_messages').select('text').where('phone', '=', '13912340001').execute();
  assert.ok(
    sms.some((m) => /明天到期/.test(m.text)),
    'the supervisor with a mobile gets an SMS',
  );

  clock.set('2025-10-14T01:00:00Z');
  await s.runner.runOnce();
  clock.set('2025-10-15T01:00:00Z');
  await s.runner.runOnce();
  assert.deepEqual((await jobs()).map((j) => j.dedupe_key).sort(), [key('before'), key('due'), key('overdue')].sort());
  const row = await s.dbh.db.selectFrom('rectifications').selectAll().where('id', '=', rect.id).executeTakeFirstOrThrow();
  assert.ok(row.warned_before_at && row.warned_due_at && row.overdue_at);
  assert.ok((await outbox('inapp', String(sup.id))).some((m) => /【超期】/.test(m.subject ?? '')));
  for (const t of ['before', 'due', 'overdue']) assert.ok((await audits(`rectification.deadline_${t}`)).length >= 1, t);

  // Complaints left unanswered since 09-30 (due 10-21 by default): warned on 10-20, then overdue.
  const open = await s.dbh.db.selectFrom('complaints').select(['id', 'due_date']).where('status', '=', 'registered').execute();
  assert.ok(open.length > 0 && open.every((c) => c.due_date === '2025-10-21'));
  clock.set('2025-10-20T01:00:00Z');
  await s.runner.runOnce();
  clock.set('2025-10-22T01:00:00Z');
  await s.runner.runOnce();
  const cjobs = await s.dbh.db.selectFrom('jobs').select('dedupe_key').where('dedupe_key', 'like', 'fb:complaint:%').execute();
  for (const c of open)
    for (const t of ['before', 'overdue'])
      assert.ok(
        cjobs.some((j) => j.dedupe_key === `fb:complaint:${t}:${c.id}:2025-10-21`),
        `${t} ${c.id}`,
      );
  assert.ok((await outbox('inapp', String(sup.id))).some((m) => /【超期】投诉 TS-DAYE-/.test(m.subject ?? '')));
});

test('a deadline in a provisional year is 预计; in a year beyond the calendar it is left open, then computed once the admin enters the year', async () => {
  const signInAll = async () => {
    assert.equal((await citizen.client.post('/api/auth/login', { login: citizen.mobile, password: citizen.password })).status, 200);
    for (const st of [clerk, handler, admin])
      assert.equal(
        (await st.client.post('/api/auth/login', { login: st.login, password: st.password, totp: await staffTotp(s, st.secret) })).status,
        200,
      );
  };
  // Monday 2026-12-28: five working days end in 2027, whose notice is not published — counted on
  // the statutory holidays and marked provisional.
  clock.set('2026-12-28T02:00:00Z');
  await signInAll();
  const p = await completed();
  const pr = await citizen.client.post(`/api/cases/${p.id}/rating`, { level: 2, comment: '说好的时间没有办完' });
  assert.equal(pr.status, 201, JSON.stringify(pr.body));
  assert.equal(pr.body.rating.rectification.dueDate, '2027-01-05', '12-29, 12-30, 12-31, (元旦) 01-04, 01-05');
  assert.equal(pr.body.rating.rectification.dueProvisional, true);

  // Monday 2028-12-25, the last year this server's calendar reaches: five working days end in
  // 2029, beyond it, and are not guessed.
  clock.set('2028-12-25T02:00:00Z');
  await signInAll();
  const k = await completed();
  const r = await citizen.client.post(`/api/cases/${k.id}/rating`, { level: 2, comment: '说好的时间没有办完' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.rating.rectification.dueDate, null, 'not guessed');
  const row = await s.dbh.db.selectFrom('rectifications').selectAll().where('case_id', '=', k.id).executeTakeFirstOrThrow();
  assert.match(row.calendar_problem ?? '', /2029 年的工作日历尚未录入/);

  const put = await admin.client.put('/api/calendar/420281/2029', {
    holidays: [{ date: '2029-01-01', name: '元旦' }],
    workdays: [],
    note: '测试录入',
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal((await sweepFeedbackDeadlines(s.dbh.db, clock.now())).filled, 1);
  const after = await s.dbh.db.selectFrom('rectifications').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
  assert.equal(after.due_date, '2029-01-02', '12-26, 12-27, 12-28, 12-29, (元旦) 01-02');
  assert.equal(after.calendar_problem, null);
});
