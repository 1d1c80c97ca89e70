/**
 * 医保关系转移接续 between two agencies on the platform (2021 rules):
 *   1. the destination accepts the application (its case clock starts);
 *   2. a 联系函 goes to the origin (a sealed document; the origin's staff see it in their list);
 *   3. the origin issues the 信息表 and transfers the account balance — within 10 working days;
 *   4. the destination completes — within 5 working days of the 信息表.
 * Each leg's due date is counted on its own agency's calendar. An origin outside the platform gets
 * the 联系函 as a PDF (export) and the destination records the 信息表 it receives (import).
 */
import { AppError } from '../../../common/errors.ts';
import type { StaffRole } from '../../../common/workflow.ts';
import { formatMoney } from '../../../common/rules/index.ts';
import { actorLabel, type Ctx, type UserActor } from '../../http/actor.ts';
import { appendAudit, audit } from '../audit/index.ts';
import { type CalendarChange, loadCalendar } from '../calendar/index.ts';
import { queueMessage } from '../../platform/outbox.ts';
import {
  caseById,
  issueResult,
  itemOfVersion,
  recordClockEvent,
  recordEvent,
  resumeClock,
  type CaseItem,
  type CaseRow,
  type NoticeEnv,
} from '../cases/index.ts';
import { ensurePerson, recordHistory, type Change } from './repository.ts';

/** Who may issue the origin's 信息表 (and transfer the personal account). */
export const ISSUE_INFO_ROLES: readonly StaffRole[] = ['acceptor', 'reviewer', 'agency_admin'];

export const ORIGIN_DAYS = 10;
export const DEST_DAYS = 5;

const yuan = (fen: number) => formatMoney(fen / 100);

async function regionOf(ctx: Ctx, agency: string): Promise<{ region: string; name: string }> {
  const a = await ctx.db.selectFrom('agencies').select(['region_code', 'name']).where('code', '=', agency).executeTakeFirst();
  if (!a) throw new AppError('AGENCY_NOT_FOUND');
  return { region: a.region_code, name: a.name };
}

async function tellStaff(ctx: Ctx, agency: string, subject: string, body: string, caseId: number): Promise<void> {
  const staff = await ctx.db.selectFrom('users').select('id').where('kind', '=', 'staff').where('agency_code', '=', agency).execute();
  for (const u of staff)
    await queueMessage(ctx.db, { channel: 'inapp', recipient: String(u.id), userId: Number(u.id), subject, body, agencyCode: agency, caseId });
}

/** Credit the transferred balance to the destination account (created if missing) and record it in the ledger. */
async function creditDestination(ctx: Ctx, pid: number, agency: string, amount: number, caseId: number, from: string): Promise<number> {
  const dest = await ctx.db
    .selectFrom('personal_accounts')
    .selectAll()
    .where('person_id', '=', pid)
    .where('agency_code', '=', agency)
    .forUpdate()
    .executeTakeFirst();
  const after = (dest ? Number(dest.balance_fen) : 0) + amount;
  if (dest)
    await ctx.db
      .updateTable('personal_accounts')
      .set({ balance_fen: after })
      .where('person_id', '=', pid)
      .where('agency_code', '=', agency)
      .execute();
  else await ctx.db.insertInto('personal_accounts').values({ person_id: pid, agency_code: agency, balance_fen: after }).execute();
  if (amount > 0)
    await ctx.db
      .insertInto('account_ledger')
      .values({
        person_id: pid,
        agency_code: agency,
        at: ctx.now,
        amount_fen: amount,
        balance_after_fen: after,
        kind: 'transfer_in',
        case_id: caseId,
        note: `自 ${from} 转入`,
      })
      .execute();
  return after;
}

/** Step 2, right after the destination accepts: record the transfer and send the 联系函. */
export async function startTransfer(ctx: Ctx, env: NoticeEnv, c: CaseRow, ci: CaseItem): Promise<string> {
  const answers = c.answers as Record<string, string>;
  const origin = answers.originAgency;
  if (!origin) throw new AppError('GUARD_FAILED', '申请表没有填写原参保地（转出地）经办机构。');
  if (origin === c.agency_code) throw new AppError('GUARD_FAILED', '原参保地与转入地是同一经办机构，无需转移接续。');
  const ch: Change = { at: ctx.now, effectiveFrom: ctx.today, actorLabel: actorLabel(ctx.actor), caseId: c.id };
  const personId = await ensurePerson(ctx.db, ch, { idNo: c.applicant_id_no, name: c.applicant_name, phone: c.applicant_phone || null });
  const external = origin === 'external';
  const originName = external ? answers.originName?.trim() || '（平台外经办机构）' : (await regionOf(ctx, origin)).name;
  const originCal = external ? null : await loadCalendar(ctx.db, (await regionOf(ctx, origin)).region);
  const originDue = originCal ? originCal.addWorkingDays(ctx.today, ORIGIN_DAYS) : null;
  const originDueText =
    originDue && originCal?.provisionalBetween(ctx.today, originDue) ? `预计${originDue}（以国务院公布的放假安排为准）` : originDue;
  const originWarn = originCal ? originCal.addWorkingDays(ctx.today, Math.ceil(ORIGIN_DAYS * 0.75)) : null;
  await ctx.db
    .insertInto('transfers')
    .values({
      case_id: c.id,
      person_id: personId,
      dest_agency: c.agency_code,
      origin_agency: external ? null : origin,
      origin_external: external ? originName : null,
      status: 'letter_sent',
      letter_on: ctx.today,
      origin_due: originDue,
      origin_warn: originWarn,
    })
    .execute();
  await issueResult(ctx, env, c, ci, {
    title: '基本医疗保险关系转移接续联系函',
    paragraphs: [
      `${originName}：`,
      `参保人员 ${c.applicant_name}（公民身份号码 ${c.applicant_id_no.slice(0, 6)}********${c.applicant_id_no.slice(-4)}）申请将基本医疗保险关系转入${ci.agencyName}，本机构已于${ctx.today}受理。`,
      `请贵机构核实其参保缴费情况，出具《参保人员基本医疗保险类型变更信息表》，并将个人账户余额划转至本机构${originDue ? `（请于${originDueText}前办结，10个工作日内）` : '（按规定时限办理）'}。`,
      `转入地经办机构：${ci.agencyName}；办件编号：${c.case_no}。`,
    ],
  });
  // "不含资料邮寄时间" (大冶): with an origin outside the platform the 联系函 and the 信息表 travel by
  // post, so the destination's clock stands still from posting until the 信息表 is recorded.
  if (external && c.clock_state === 'running' && excludesMailing(ci)) {
    await ctx.db.updateTable('cases').set({ clock_state: 'paused', paused_on: ctx.today }).where('id', '=', c.id).execute();
    await recordClockEvent(ctx.db, { caseId: c.id, at: ctx.now, day: ctx.today, kind: 'pause', due: c.due_date, data: { reason: 'mailing' } });
  }
  if (!external)
    await tellStaff(
      ctx,
      origin,
      `【转移接续联系函】${c.applicant_name}`,
      `${ci.agencyName}请求转入 ${c.applicant_name} 的医保关系（${c.case_no}），请于 ${originDue} 前出具信息表并划转个人账户。`,
      c.id,
    );
  return external
    ? `已生成联系函（平台外：${originName}），请导出寄送。${excludesMailing(ci) ? '办理时限不含资料邮寄时间，计时暂停至登记收到的信息表。' : ''}`
    : `联系函已发送${originName}，转出地应于${originDue}前出具信息表。`;
}

/** The item's time limit leaves out the time documents spend in the post (its counting rule says so). */
function excludesMailing(ci: CaseItem): boolean {
  return /不含.*邮寄/.test(ci.item.timeLimit.rule ?? ci.item.timeLimit.text);
}

/** The 信息表 has arrived by post: restart the destination's clock paused at posting, moving its dates on. */
async function resumeAfterMail(ctx: Ctx, caseId: number): Promise<void> {
  const c = await ctx.db.selectFrom('cases').selectAll().where('id', '=', caseId).forUpdate().executeTakeFirst();
  if (!c || c.clock_state !== 'paused' || !c.paused_on || !c.due_date || !c.warn_date || !c.sla_kind) return;
  const last = await ctx.db
    .selectFrom('case_clock_events')
    .select(['kind', 'data'])
    .where('case_id', '=', caseId)
    .where('kind', 'in', ['pause', 'resume']) // not a warning or a calendar recompute recorded meanwhile
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (last?.kind !== 'pause' || (last.data as { reason?: string } | null)?.reason !== 'mailing') return;
  const ci = await itemOfVersion(ctx.db, c.item_version_id);
  const r = resumeClock(
    { sla_kind: c.sla_kind, due_date: c.due_date, warn_date: c.warn_date, paused_on: c.paused_on },
    ctx.today,
    await loadCalendar(ctx.db, ci.regionCode),
  );
  await ctx.db.updateTable('cases').set(r.set).where('id', '=', caseId).execute();
  await recordClockEvent(ctx.db, {
    caseId,
    at: ctx.now,
    day: ctx.today,
    kind: 'resume',
    due: r.due,
    data: { pausedOn: c.paused_on, reason: 'mailing' },
  });
}

/** Step 3, by the origin's staff: issue the 信息表, move the account balance, end the origin's enrolment. */
export async function issueInfo(ctx: Ctx, env: NoticeEnv, transferId: number): Promise<void> {
  const a = ctx.actor as UserActor;
  if (a.kind !== 'user' || a.userKind !== 'staff' || !a.roles.some((r) => ISSUE_INFO_ROLES.includes(r))) throw new AppError('FORBIDDEN');
  const t = await ctx.db.selectFrom('transfers').selectAll().where('id', '=', transferId).forUpdate().executeTakeFirst();
  if (!t || t.origin_agency !== a.agencyCode) throw new AppError('NOT_FOUND', '没有找到发给本机构的转移接续联系函。');
  if (t.status !== 'letter_sent') throw new AppError('TRANSITION_NOT_ALLOWED', '信息表已经出具。');
  const origin: string = a.agencyCode!;
  const pid = Number(t.person_id);
  const months = Number(
    (
      await ctx.db
        .selectFrom('contributions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('person_id', '=', pid)
        .where('agency_code', '=', origin)
        .where('paid', '=', true)
        .executeTakeFirstOrThrow()
    ).n,
  );
  const acct = await ctx.db
    .selectFrom('personal_accounts')
    .selectAll()
    .where('person_id', '=', pid)
    .where('agency_code', '=', origin)
    .forUpdate()
    .executeTakeFirst();
  const amount = acct ? Number(acct.balance_fen) : 0;
  const ch: Change = { at: ctx.now, effectiveFrom: ctx.today, actorLabel: actorLabel(a), caseId: Number(t.case_id) };
  if (amount > 0) {
    await ctx.db.updateTable('personal_accounts').set({ balance_fen: 0 }).where('person_id', '=', pid).where('agency_code', '=', origin).execute();
    await ctx.db
      .insertInto('account_ledger')
      .values({
        person_id: pid,
        agency_code: origin,
        at: ctx.now,
        amount_fen: -amount,
        balance_after_fen: 0,
        kind: 'transfer_out',
        case_id: Number(t.case_id),
        note: `转入 ${t.dest_agency}`,
      })
      .execute();
    const after = await creditDestination(ctx, pid, t.dest_agency, amount, Number(t.case_id), origin);
    await recordHistory(
      ctx.db,
      ch,
      'personal_account',
      `${pid}/${origin}→${t.dest_agency}`,
      pid,
      { [origin]: amount },
      { [origin]: 0, [t.dest_agency]: after },
    );
  }
  const ended = await ctx.db
    .updateTable('enrolments')
    .set({ status: 'terminated', end_date: ctx.today, updated_at: ctx.now })
    .where('person_id', '=', pid)
    .where('agency_code', '=', origin)
    .where('status', 'in', ['active', 'suspended'])
    .executeTakeFirst();
  if (Number(ended.numUpdatedRows))
    await recordHistory(
      ctx.db,
      ch,
      'enrolment',
      `${pid}@${origin}`,
      pid,
      { status: 'active/suspended' },
      { status: 'terminated', end: ctx.today, reason: '转出' },
    );
  const destCal = await loadCalendar(ctx.db, (await regionOf(ctx, t.dest_agency)).region);
  const destDue = destCal.addWorkingDays(ctx.today, DEST_DAYS);
  const destWarn = destCal.addWorkingDays(ctx.today, Math.ceil(DEST_DAYS * 0.75));
  await ctx.db
    .updateTable('transfers')
    .set({
      status: 'info_issued',
      info_on: ctx.today,
      dest_from: ctx.today,
      months,
      amount_fen: amount,
      dest_due: destDue,
      dest_warn: destWarn,
      updated_at: ctx.now,
    })
    .where('id', '=', transferId)
    .execute();
  const c = (await caseById(ctx.db, Number(t.case_id)))!;
  const ci = await itemOfVersion(ctx.db, c.item_version_id);
  const originName = (await regionOf(ctx, origin)).name;
  await issueResult(
    ctx,
    env,
    c,
    { ...ci, agencyName: originName },
    {
      title: '参保人员基本医疗保险类型变更信息表',
      paragraphs: [
        `参保人员 ${c.applicant_name} 在${originName}参加基本医疗保险，累计缴费 ${months} 个月，个人账户余额 ${yuan(amount)} 已于${ctx.today}划转至${ci.agencyName}。`,
        `本机构已于${ctx.today}终止其在本地的基本医疗保险关系。`,
      ],
    },
  );
  await recordEvent(ctx.db, {
    caseId: c.id,
    at: ctx.now,
    action: 'transfer_info',
    from: c.status,
    to: c.status,
    actorId: a.id,
    actorLabel: `${a.name}（${originName}）`,
    note: `转出地出具信息表：缴费 ${months} 个月，个人账户 ${yuan(amount)} 已划转；转入地应于 ${destDue} 前办结。`,
  });
  await audit(ctx, 'transfer.issue_info', { kind: 'case', id: c.id, agency: origin }, { transfer: transferId, months, amountFen: amount });
  await tellStaff(
    ctx,
    t.dest_agency,
    `【信息表已出具】${c.applicant_name}`,
    `${originName}已出具信息表并划转个人账户（${c.case_no}），请于 ${destDue} 前办结。`,
    c.id,
  );
}

/** Import for an origin outside the platform: the destination records the 信息表 it received. */
export async function recordExternalInfo(ctx: Ctx, transferId: number, input: { months: number; amountYuan: number; infoOn: string }): Promise<void> {
  const a = ctx.actor as UserActor;
  if (a.kind !== 'user' || a.userKind !== 'staff') throw new AppError('FORBIDDEN');
  const t = await ctx.db.selectFrom('transfers').selectAll().where('id', '=', transferId).forUpdate().executeTakeFirst();
  if (!t || t.dest_agency !== a.agencyCode || !t.origin_external) throw new AppError('NOT_FOUND', '没有找到转自平台外机构的转移接续。');
  if (t.status !== 'letter_sent') throw new AppError('TRANSITION_NOT_ALLOWED', '信息表已经登记。');
  const amount = Math.round(input.amountYuan * 100);
  const pid = Number(t.person_id);
  await creditDestination(ctx, pid, t.dest_agency, amount, Number(t.case_id), t.origin_external);
  const destCal = await loadCalendar(ctx.db, (await regionOf(ctx, t.dest_agency)).region);
  const destDue = destCal.addWorkingDays(ctx.today, DEST_DAYS);
  const destWarn = destCal.addWorkingDays(ctx.today, Math.ceil(DEST_DAYS * 0.75));
  await ctx.db
    .updateTable('transfers')
    .set({
      status: 'info_issued',
      info_on: input.infoOn,
      dest_from: ctx.today,
      months: input.months,
      amount_fen: amount,
      dest_due: destDue,
      dest_warn: destWarn,
      updated_at: ctx.now,
    })
    .where('id', '=', transferId)
    .execute();
  await recordEvent(ctx.db, {
    caseId: Number(t.case_id),
    at: ctx.now,
    action: 'transfer_info',
    from: null,
    to: null,
    actorId: a.id,
    actorLabel: actorLabel(a),
    note: `登记平台外转出地（${t.origin_external}）的信息表：缴费 ${input.months} 个月，个人账户 ${yuan(amount)}。`,
  });
  await resumeAfterMail(ctx, Number(t.case_id));
}

/** Step 4 (completion effect): the destination enrols the person, carrying the months over. */
export async function completeTransfer(ctx: Ctx, c: CaseRow): Promise<string> {
  const t = await ctx.db.selectFrom('transfers').selectAll().where('case_id', '=', c.id).forUpdate().executeTakeFirst();
  if (!t) throw new AppError('GUARD_FAILED', '没有找到该办件的转移接续记录。');
  if (t.status !== 'info_issued') throw new AppError('GUARD_FAILED', '转出地尚未出具信息表，不能办结转移接续。');
  const ch: Change = { at: ctx.now, effectiveFrom: ctx.today, actorLabel: actorLabel(ctx.actor), caseId: c.id };
  const row = await ctx.db
    .insertInto('enrolments')
    .values({
      person_id: t.person_id,
      agency_code: c.agency_code,
      type: 'employee',
      unit_id: null,
      status: 'active',
      start_date: ctx.today,
      end_date: null,
      case_id: c.id,
      employment: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordHistory(ctx.db, ch, 'enrolment', row.id, Number(t.person_id), null, {
    type: 'employee',
    status: 'active',
    start: ctx.today,
    transferredMonths: t.months,
  });
  await ctx.db.updateTable('transfers').set({ status: 'completed', completed_on: ctx.today, updated_at: ctx.now }).where('id', '=', t.id).execute();
  const late = t.dest_due && ctx.today > t.dest_due ? `（超过转入地时限 ${t.dest_due}）` : '';
  return `医保关系已转入：承认原缴费 ${t.months ?? 0} 个月，个人账户 ${yuan(Number(t.amount_fen ?? 0))} 已到账${late}。`;
}

/**
 * Whether each transfer's running leg is due on a provisional calendar year (预计) of the agency
 * whose leg it is: the origin's while the letter waits, the destination's after the 信息表.
 */
export async function runningLegProvisional(
  ctx: Ctx,
  rows: {
    id: number | string;
    status: string;
    origin_agency: string | null;
    dest_agency: string;
    origin_due: string | null;
    dest_due: string | null;
  }[],
): Promise<Set<number>> {
  const out = new Set<number>();
  const cals = new Map<string, Awaited<ReturnType<typeof loadCalendar>> | null>();
  for (const t of rows) {
    const agency = t.status === 'letter_sent' ? t.origin_agency : t.status === 'info_issued' ? t.dest_agency : null;
    const due = t.status === 'letter_sent' ? t.origin_due : t.dest_due;
    if (!agency || !due) continue;
    if (!cals.has(agency)) cals.set(agency, await loadCalendar(ctx.db, (await regionOf(ctx, agency)).region).catch(() => null));
    if (cals.get(agency)?.provisionalBetween(ctx.today, due)) out.add(Number(t.id));
  }
  return out;
}

/**
 * A calendar year changed (calendar/jobs.ts): the agency's open transfer legs that counted through
 * it are counted again — the origin's 信息表 from the 联系函 day (10 working days), the
 * destination's completion from the day the 信息表 was recorded (5). Each leg that moved is noted on
 * the case's timeline, audited, and its agency's staff are told.
 */
export async function recomputeTransferDeadlines(ch: CalendarChange): Promise<number> {
  const { ctx, cal } = ch;
  const legs = await ctx.db
    .selectFrom('transfers')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'letter_sent'), eb('origin_agency', '=', ch.agencyCode), eb('origin_due', '>=', ch.from)]),
        eb.and([eb('status', '=', 'info_issued'), eb('dest_agency', '=', ch.agencyCode), eb('dest_due', '>=', ch.from)]),
      ]),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
  let moved = 0;
  for (const t of legs) {
    const origin = t.status === 'letter_sent';
    const anchor = origin ? t.letter_on : (t.dest_from ?? t.info_on);
    if (!anchor) continue;
    const n = origin ? ORIGIN_DAYS : DEST_DAYS;
    const due = cal.addWorkingDays(anchor, n);
    const warn = cal.addWorkingDays(anchor, Math.ceil(n * 0.75));
    const before = origin ? t.origin_due : t.dest_due;
    const beforeWarn = origin ? t.origin_warn : t.dest_warn;
    if (due === before && warn === beforeWarn) continue;
    await ctx.db
      .updateTable('transfers')
      .set(origin ? { origin_due: due, origin_warn: warn, updated_at: ctx.now } : { dest_due: due, dest_warn: warn, updated_at: ctx.now })
      .where('id', '=', t.id)
      .execute();
    const what = origin ? '转出地出具信息表的期限' : '转入地办结转移接续的期限';
    const note = `${ch.why}，按新的工作日历重新计算：${what}由 ${before} 调整为 ${due}。`;
    await recordEvent(ctx.db, {
      caseId: Number(t.case_id),
      at: ctx.now,
      action: 'transfer_deadline_moved',
      from: null,
      to: null,
      actorId: null,
      actorLabel: '工作日历',
      note,
      data: { transfer: Number(t.id), leg: origin ? 'origin' : 'dest', before, after: due },
    });
    await appendAudit(ctx.db, {
      actorKind: 'system',
      actorId: null,
      actorLabel: '工作日历',
      action: 'transfer.deadline_moved',
      subjectKind: 'case',
      subjectId: String(t.case_id),
      agencyCode: ch.agencyCode,
      data: { transfer: Number(t.id), leg: origin ? 'origin' : 'dest', year: ch.year, before, after: due, warn },
      at: ctx.now,
    });
    if (due !== before) {
      await tellStaff(ctx, ch.agencyCode, `【转移接续期限调整】`, note, Number(t.case_id));
      moved++;
    }
  }
  return moved;
}
