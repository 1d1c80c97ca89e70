/**
 * A known set of 大冶 (region 420281, national calendar) cases for the dashboard, made through the
 * real HTTP API with a moving clock, around the 2025 National Day holiday (10-01…10-08 off; Sunday
 * 09-28 and Saturday 10-11 are make-up working days). Working days from 09-29: 09-29, 09-30, 10-09,
 * 10-10, 10-11, 10-13 … 10-17, 10-20 … 10-24, 10-27 …
 *
 * Both the integration test and the browser journey build it and check the numbers below by hand.
 * The clock ends on FIXTURE_TODAY. Cases (DY-24 救助对象缴费补贴 and DY-23 生育津贴, both 10 working days):
 *
 * | case | item  | channel / office    | submitted | accepted | what then                                               |
 * | A    | DY-24 | online / —          | 09-29     | 09-30    | due 10-21; approved 10-09 by 审核员甲: 1 wd, on time     |
 * | B    | DY-24 | online / —          | 09-29     | 09-29    | due 10-20; 补正 paused 10-10→10-14 (3 wd) → due 10-23;   |
 * |      |       |                     |           |          | approved 10-23: 13 − 3 = 10 wd, on time                  |
 * | K    | DY-24 | window / 大厅        | 09-30     | 09-30    | due 10-21; claimed by 审核员乙, reviewing: overdue 4 wd  |
 * | C    | DY-24 | window / 大厅        | 10-09     | 10-09    | due 10-22; approved 10-24 by 审核员乙: 12 wd, late       |
 * | D    | DY-24 | window / 乡镇中心    | 10-09     | 10-09    | due 10-22; denied 10-22: 10 wd, on time                  |
 * | G    | DY-24 | window / 大厅        | 10-09     | 10-09    | due 10-22; nobody claimed: overdue 3 wd                  |
 * | E    | DY-23 | online / —          | 10-09     | 10-09    | due 10-22; claimed by 审核员甲, reviewing: overdue 3 wd  |
 * | F    | DY-24 | window / 大厅        | 10-13     | 10-13    | due 10-27 = today: not overdue; age 10 wd               |
 * | H    | DY-23 | online / —          | 10-20     | 10-20    | 补正 requested 10-22: paused; age 5 wd                   |
 * | I    | DY-24 | online / —          | 10-24     | —        | 待受理                                                   |
 * | J    | DY-24 | online / —          | 10-27     | 10-27    | accepted today: age 0                                   |
 * | X    | DY-24 | online (draft)      | —         | —        | never submitted: counted nowhere                        |
 * | Y    | DL-…  | 大连, accepted 10-09 | 10-09     | 10-09    | another agency: counted nowhere in 大冶                   |
 *
 * On 09-29 the admin sets 大冶's 整改 deadline to 2 and its 投诉 deadline to 3 working days, and the
 * 市政务服务大厅's appointments to 09:00–11:00 and 14:00–15:00 with two lines only — 医疗费用报销
 * (reimburse: 60-minute slots, 2 seats) and 生育保险待遇 (maternity: 60 minutes, 1 seat), 3 slots a
 * day, 9 seats — and closes the hall on Friday 10-31. October 2025 has 18 working days (10-09,
 * 10-10, the 调休 Saturday 10-11, 10-13…17, 10-20…24, 10-27…31), 17 open: 102 + 51 = 153 seats;
 * 10-01…10-27 has 14: 126 seats. The citizen's hall bookings (at 09:00, made a working day ahead or more):
 *
 * | appt | line      | day   | what then                                                                        |
 * | P1   | reimburse | 10-09 | for DY-24; checked in, served; rated 非常不满意 by mistake → appeal upheld 10-10 |
 * | P2   | maternity | 10-10 | checked in; rated 基本满意                                                       |
 * | P3   | reimburse | 10-13 | nobody came: the hall records a no-show at 10:00                                 |
 * | P4   | reimburse | 10-14 | cancelled by the citizen on 10-13                                                |
 * | P5   | maternity | 10-28 | booked 10-24, still to come                                                      |
 *
 * Ratings (all October): A 非常满意 (10-09), P1 非常不满意 — excluded after the upheld appeal, its 整改
 * waived (10-09), P2 基本满意 (10-10), D 不满意 (10-22, town centre: 整改 due 10-24, open, overdue on
 * 10-27), B 满意 (10-23), C 非常不满意 (10-24, hall: 整改 due 10-28, called back 10-27: in progress).
 * Counted 5, of them 满意 or better 2: 40.0 %. Complaints: K1 online about the hall (10-13, due 10-16,
 * answered 10-14), K2 by phone about a person (10-20, due 10-23, unanswered: overdue), K3 online about
 * case C (10-21, due 10-24, answered late on 10-27).
 */
import assert from 'node:assert/strict';
import type { TestServer } from './support.ts';
import { Client, PDF_BYTES, registerCitizen, testIdNo } from './client.ts';
import { seedPerson } from './registry.ts';
import { createStaff } from '../server/modules/accounts/service.ts';
import { staffTotp } from './totp.ts';
import type { MutableClock } from '../server/platform/clock.ts';
import type { StaffRole } from '../common/workflow.ts';

export const FIXTURE_START = '2025-09-29';
export const FIXTURE_TODAY = '2025-10-27';

export interface Person {
  client: Client;
  login(): Promise<void>;
}
export interface StaffCred {
  login: string;
  password: string;
  secret: string;
  name: string;
}
export interface DashboardFixture {
  ids: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'X' | 'Y', number>;
  /** The hall bookings P1…P5 (appointment ids). */
  appts: Record<'P1' | 'P2' | 'P3' | 'P4' | 'P5', number>;
  /** The complaints K1…K3 (complaint numbers). */
  complaintNo: Record<'K1' | 'K2' | 'K3', string>;
  caseNo: Record<string, string>;
  /** 大冶 agency admin + supervisor: the dashboard's user. */
  admin: StaffCred;
  offices: { hall: number; town: number };
  /** Move the server to 10:00 China time on `day` and sign everyone in again (sessions last 7 days). */
  setDay(day: string): Promise<void>;
  people: Person[];
}

let seq = 0;
async function newStaffCred(s: TestServer, agency: string, roles: StaffRole[], name: string, officeCode?: string): Promise<StaffCred> {
  const login = `dash-${agency}-${roles[0]}-${++seq}-${Math.random().toString(36).slice(2, 6)}`;
  const password = 'Staff-Pass-2026';
  const { totpSecret } = await createStaff(s.dbh.db, { login, name, agencyCode: agency, roles, officeCode, password });
  return { login, password, secret: totpSecret, name };
}

function staffPerson(s: TestServer, clock: MutableClock, cred: StaffCred): Person {
  const client = new Client(s.url);
  return {
    client,
    async login() {
      const r = await client.post('/api/auth/login', { login: cred.login, password: cred.password, totp: await staffTotp(s, cred.secret) });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    },
  };
}

export async function buildDashboardFixture(s: TestServer, clock: MutableClock): Promise<DashboardFixture> {
  clock.set(`${FIXTURE_START}T02:00:00Z`);
  const cit = await registerCitizen(s, { name: '陈静', idNo: testIdNo('420281', '19920305', 'F') });
  await seedPerson(s.dbh.db, {
    idNo: cit.idNo,
    name: '陈静',
    agency: 'daye',
    enrol: [{ type: 'employee', start: '2023-01-01', employment: 'employed' }],
    // Paid 2023-01…2025-12: continuous up to last month on every day the fixture moves to (09-29…10-27).
    contributions: [{ type: 'employee', from: '2023-01', months: 36, baseYuan: 6000 }],
  });
  const citizen: Person = {
    client: cit.client,
    async login() {
      const r = await cit.client.post('/api/auth/login', { login: cit.mobile, password: cit.password });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    },
  };
  const hallCred = await newStaffCred(s, 'daye', ['acceptor'], '大厅受理员', 'daye-city-hall');
  const townCred = await newStaffCred(s, 'daye', ['acceptor'], '乡镇受理员', 'daye-town-centers');
  const revACred = await newStaffCred(s, 'daye', ['reviewer'], '审核员甲');
  const revBCred = await newStaffCred(s, 'daye', ['reviewer'], '审核员乙');
  const admin = await newStaffCred(s, 'daye', ['agency_admin', 'supervisor'], '大冶看板管理员');
  const dlCred = await newStaffCred(s, 'dalian', ['acceptor'], '大连受理员');
  const hall = staffPerson(s, clock, hallCred);
  const town = staffPerson(s, clock, townCred);
  const revA = staffPerson(s, clock, revACred);
  const revB = staffPerson(s, clock, revBCred);
  const dl = staffPerson(s, clock, dlCred);
  const boss = staffPerson(s, clock, admin);
  const people = [citizen, hall, town, revA, revB, dl, boss];
  const offices = await s.dbh.db.selectFrom('offices').select(['id', 'code']).where('agency_code', '=', 'daye').execute();
  const officeId = (code: string) => Number(offices.find((o) => o.code === code)!.id);
  const hallId = officeId('daye-city-hall');

  const setDay = async (day: string) => {
    clock.set(`${day}T02:00:00Z`);
    for (const p of people) await p.login();
  };
  const ok = (r: { status: number; body: any }, status = 200) => {
    assert.equal(r.status, status, JSON.stringify(r.body));
    return r.body;
  };
  const act = async (p: Person, id: number, action: string, body: object = {}) => ok(await p.client.post(`/api/cases/${id}/actions/${action}`, body));
  const claim = async (p: Person, id: number) => ok(await p.client.post(`/api/staff/cases/${id}/claim`, { reason: '看板测试：按安排认领' }));

  /** DY-24 or DY-23 applied online by the citizen (submitted now). */
  const online = async (item: 'DY-24' | 'DY-23', submit = true): Promise<number> => {
    const answers =
      item === 'DY-23'
        ? { beneficiary: 'female', delivery: 'natural', deliveryDate: '2025-08-01', unitName: '大冶某公司', bankAccount: '6217002870012345678' }
        : {};
    const d = ok(await citizen.client.post('/api/cases', { agencyCode: 'daye', itemCode: item, answers }), 201);
    for (const i of item === 'DY-23' ? [0, 1] : [0]) ok(await citizen.client.upload(d.id, i, `m${i}.pdf`, PDF_BYTES), 201);
    if (!submit) return d.id;
    assert.equal(ok(await citizen.client.post(`/api/cases/${d.id}/submit`)).status, 'submitted');
    return d.id;
  };
  /** DY-24 registered at a window by its clerk (the case takes the clerk's office), with the list scanned in. */
  const window = async (clerk: Person): Promise<number> => {
    const r = ok(
      await clerk.client.post('/api/staff/cases', {
        itemCode: 'DY-24',
        channel: 'window',
        answers: { applicantName: cit.user.name ?? '陈静', applicantIdNo: cit.idNo, applicantPhone: cit.mobile },
      }),
      201,
    );
    ok(await clerk.client.upload(r.id, 0, 'list.pdf', PDF_BYTES), 201);
    return r.id;
  };
  const accept = async (clerk: Person, id: number, due: string) => {
    const c = await act(clerk, id, 'accept');
    assert.equal(c.status, 'accepted');
    assert.equal(c.dueDate, due, `case ${id} due date`);
  };

  /** The citizen books the hall at 09:00 on `day`. */
  const book = async (business: 'reimburse' | 'maternity', day: string, itemCode?: string): Promise<number> => {
    const r = ok(await citizen.client.post('/api/appointments', { officeId: hallId, business, date: day, start: '09:00', itemCode }), 201);
    assert.equal(r.status, 'booked');
    return r.id;
  };
  const apptCode = async (id: number): Promise<string> => ok(await citizen.client.get(`/api/appointments/${id}`)).code;
  const checkIn = async (id: number) =>
    ok(await hall.client.post('/api/staff/appointments/check-in', { code: await apptCode(id), officeId: hallId })).row;
  const rateVisit = async (id: number, level: number, comment: string) =>
    ok(await citizen.client.post(`/api/appointments/${id}/rating`, { level, comment }), 201).rating;
  const rateCase = async (id: number, level: number, comment: string) =>
    ok(await citizen.client.post(`/api/cases/${id}/rating`, { level, comment }), 201).rating;
  const complaintNo = {} as DashboardFixture['complaintNo'];
  const complaintId: Partial<Record<keyof DashboardFixture['complaintNo'], number>> = {};
  const answer = async (k: keyof DashboardFixture['complaintNo'], text: string) =>
    assert.equal(ok(await boss.client.post(`/api/staff/feedback/complaints/${complaintId[k]}/answer`, { answer: text })).status, 'answered');
  const appts = {} as DashboardFixture['appts'];

  const ids = {} as DashboardFixture['ids'];
  await setDay('2025-09-29');
  // The admin's settings: deadlines for 整改 and 投诉, and a small, known appointment set-up at the hall.
  ok(await boss.client.put('/api/staff/feedback/settings', { rectifyDays: 2, complaintDays: 3 }));
  const lines = ok(await boss.client.get('/api/admin/appointments')).businessTypes as { code: string }[];
  ok(
    await boss.client.put(`/api/admin/appointments/offices/${hallId}`, {
      enabled: true,
      hours: [
        { from: '09:00', to: '11:00' },
        { from: '14:00', to: '15:00' },
      ],
      services: lines.map((b) =>
        b.code === 'reimburse'
          ? { business: b.code, slotMinutes: 60, capacity: 2, active: true }
          : b.code === 'maternity'
            ? { business: b.code, slotMinutes: 60, capacity: 1, active: true }
            : { business: b.code, slotMinutes: 30, capacity: 2, active: false },
      ),
    }),
  );
  ok(await boss.client.post(`/api/admin/appointments/offices/${hallId}/closed-days`, { date: '2025-10-31', reason: '设备检修' }), 201);
  ids.A = await online('DY-24');
  ids.B = await online('DY-24');
  await accept(hall, ids.B, '2025-10-20');

  await setDay('2025-09-30');
  await accept(hall, ids.A, '2025-10-21');
  ids.K = await window(hall);
  await accept(hall, ids.K, '2025-10-21');
  await claim(revB, ids.K);
  await act(revB, ids.K, 'start_review');
  appts.P1 = await book('reimburse', '2025-10-09', 'DY-24');

  await setDay('2025-10-09');
  await act(revA, ids.A, 'start_review');
  assert.equal((await act(revA, ids.A, 'approve')).status, 'approved');
  await act(revA, ids.B, 'start_review');
  ids.C = await window(hall);
  await accept(hall, ids.C, '2025-10-22');
  ids.D = await window(town);
  await accept(town, ids.D, '2025-10-22');
  ids.G = await window(hall);
  await accept(hall, ids.G, '2025-10-22');
  ids.E = await online('DY-23');
  await accept(hall, ids.E, '2025-10-22');
  await claim(revA, ids.E);
  await act(revA, ids.E, 'start_review');
  await claim(revB, ids.C);
  await act(revB, ids.C, 'start_review');
  await claim(revB, ids.D);
  await act(revB, ids.D, 'start_review');
  const dlCase = ok(
    await dl.client.post('/api/staff/cases', {
      itemCode: 'DL-13',
      channel: 'window',
      answers: { applicantName: '刘某', applicantIdNo: testIdNo('210202', '19800101'), applicantPhone: '13912345678', employment: 'flexible' },
    }),
    201,
  );
  ids.Y = dlCase.id;
  // The hall: P1 arrives, is served, and (by mistake) rates the visit 非常不满意; A is rated.
  assert.equal((await checkIn(appts.P1)).status, 'checked_in');
  ok(await hall.client.post(`/api/staff/appointments/${appts.P1}/serve`));
  const p1Rating = await rateVisit(appts.P1, 1, '点错了，本想选非常满意');
  assert.equal(p1Rating.rectification.dueDate, '2025-10-11', '2 working days: 10-10 and the 调休 Saturday');
  await rateCase(ids.A, 5, '网上办理很方便');
  appts.P2 = await book('maternity', '2025-10-10');

  await setDay('2025-10-10');
  const more = await act(revA, ids.B, 'request_more', { materials: [{ index: 0, note: '名单页不清晰' }] });
  assert.equal(more.clockState, 'paused');
  assert.equal((await checkIn(appts.P2)).status, 'checked_in');
  await rateVisit(appts.P2, 3, '');
  const appeal = ok(
    await boss.client.post(`/api/staff/feedback/ratings/${p1Rating.id}/appeal`, { kind: 'mistaken', reason: '申请人来电说明误选了等级' }),
    201,
  );
  ok(await boss.client.post(`/api/staff/feedback/appeals/${appeal.id}/decision`, { outcome: 'upheld', note: '经回访核实为误选' }));
  appts.P3 = await book('reimburse', '2025-10-13');

  await setDay('2025-10-13');
  ids.F = await window(hall);
  await accept(hall, ids.F, '2025-10-27');
  assert.equal(ok(await hall.client.post(`/api/staff/appointments/${appts.P3}/no-show`)).row.status, 'no_show');
  appts.P4 = await book('reimburse', '2025-10-14');
  assert.equal(ok(await citizen.client.post(`/api/appointments/${appts.P4}/cancel`, { reason: '临时有事' })).status, 'cancelled');
  const k1 = ok(
    await citizen.client.post('/api/complaints', {
      agencyCode: 'daye',
      subjectKind: 'office',
      officeId: hallId,
      content: '大厅取号机故障，排队秩序混乱，无人引导',
    }),
    201,
  );
  [complaintNo.K1, complaintId.K1] = [k1.complaintNo, k1.id];
  assert.equal(k1.dueDate, '2025-10-16');

  await setDay('2025-10-14');
  await answer('K1', '已修复取号机，并安排专人在大厅引导。');
  ok(await citizen.client.upload(ids.B, 0, 'clear.pdf', Buffer.concat([PDF_BYTES, Buffer.from('%clear')])), 201);
  const back = await act(citizen, ids.B, 'resubmit_review');
  assert.equal(back.dueDate, '2025-10-23', 'paused 10-11, 10-13, 10-14: three working days');

  await setDay('2025-10-20');
  ids.H = await online('DY-23');
  await accept(hall, ids.H, '2025-11-03');
  const k2 = ok(
    await boss.client.post('/api/staff/feedback/complaints', {
      subjectKind: 'person',
      personName: '3号窗口工作人员',
      complainantName: '王先生',
      complainantPhone: '0714-8721234',
      content: '3号窗口工作人员解释政策不耐烦，态度生硬',
    }),
    201,
  );
  [complaintNo.K2, complaintId.K2] = [k2.complaintNo, k2.id];
  assert.equal(k2.dueDate, '2025-10-23');

  await setDay('2025-10-21');
  await act(revA, ids.H, 'start_review');
  const k3 = ok(
    await citizen.client.post('/api/complaints', {
      agencyCode: 'daye',
      subjectKind: 'case',
      caseId: ids.C,
      content: '办件已超过承诺时限仍未办结，电话也无人接听',
    }),
    201,
  );
  [complaintNo.K3, complaintId.K3] = [k3.complaintNo, k3.id];
  assert.equal(k3.dueDate, '2025-10-24');

  await setDay('2025-10-22');
  await act(revA, ids.H, 'request_more', { materials: [{ index: 1, note: '请补充出生医学证明' }] });
  assert.equal((await act(revB, ids.D, 'deny', { reasons: [{ text: '不属于救助对象' }] })).status, 'denied');
  assert.equal((await rateCase(ids.D, 2, '不予办理的理由没有说清楚，跑了两趟')).rectification.dueDate, '2025-10-24');

  await setDay('2025-10-23');
  assert.equal((await act(revA, ids.B, 'approve')).status, 'approved');
  await rateCase(ids.B, 4, '');

  await setDay('2025-10-24');
  assert.equal((await act(revB, ids.C, 'approve')).status, 'approved');
  assert.equal((await rateCase(ids.C, 1, '超过承诺时限两天才办结')).rectification.dueDate, '2025-10-28');
  ids.I = await online('DY-24');
  appts.P5 = await book('maternity', '2025-10-28');

  await setDay(FIXTURE_TODAY);
  ids.J = await online('DY-24');
  await accept(hall, ids.J, '2025-11-10');
  ids.X = await online('DY-24', false);
  await answer('K3', '经核查，该办件审核环节超期，已督促办结并对经办人员提醒谈话。');

  const rows = await s.dbh.db.selectFrom('cases').select(['id', 'case_no']).where('id', 'in', Object.values(ids)).execute();
  const caseNo: Record<string, string> = {};
  for (const [k, id] of Object.entries(ids)) caseNo[k] = rows.find((r) => Number(r.id) === id)?.case_no ?? '';
  const rects = ok(await boss.client.get('/api/staff/feedback/rectifications')).items as { id: number; caseNo: string | null }[];
  const rectC = rects.find((r) => r.caseNo === caseNo.C)!;
  ok(
    await boss.client.post(`/api/staff/feedback/rectifications/${rectC.id}/callback`, {
      at: '2025-10-27T01:30:00Z',
      channel: 'phone',
      note: '申请人表示理解，希望以后按时办结',
    }),
  );
  return { ids, appts, complaintNo, caseNo, admin, offices: { hall: hallId, town: officeId('daye-town-centers') }, setDay, people };
}
