/**
 * Agency admins edit the appointment rules, each office's opening hours and slot templates, and
 * close days (holidays come from the working calendar). Every change is audited; an edited value
 * is no longer an example (示例). Closing a day cancels its bookings and tells each person.
 */
import type { AdminConfigOut, ApptSettings, OfficeConfigIn } from '../../../common/api-appointments.ts';
import type { AuditAction } from '../../../common/audit.ts';
import { periodProblems } from '../../../common/appointments.ts';
import { AppError, ERRORS } from '../../../common/errors.ts';
import { tellHolder } from './notify.ts';
import { actorLabel, type Ctx, type UserActor } from '../../http/actor.ts';
import { appendAudit } from '../audit/index.ts';
import * as repo from './repository.ts';
import { requireSettings } from './service.ts';

function admin(ctx: Ctx): UserActor & { agencyCode: string } {
  const a = ctx.actor;
  if (a.kind !== 'user' || a.userKind !== 'staff' || !a.agencyCode || !a.roles.includes('agency_admin'))
    throw new AppError('FORBIDDEN', '只有机构管理员可以修改预约设置。');
  return a as UserActor & { agencyCode: string };
}

async function audit(ctx: Ctx, me: UserActor & { agencyCode: string }, action: AuditAction, subjectId: string, data: unknown) {
  await appendAudit(ctx.db, {
    actorKind: 'staff',
    actorId: String(me.id),
    actorLabel: actorLabel(me),
    action,
    subjectKind: 'appointment_config',
    subjectId,
    agencyCode: me.agencyCode,
    requestId: ctx.requestId,
    ip: ctx.ip,
    at: ctx.now,
    data,
  });
}

export async function config(ctx: Ctx): Promise<AdminConfigOut> {
  const me = admin(ctx);
  const settings = await requireSettings(ctx.db, me.agencyCode);
  const [types, offices] = await Promise.all([repo.businessTypes(ctx.db, me.agencyCode), repo.agencyOffices(ctx.db, me.agencyCode)]);
  const setups = await repo.officeSetups(
    ctx.db,
    offices.map((o) => o.id),
  );
  const closed = offices.length
    ? await ctx.db
        .selectFrom('appt_closed_days')
        .select(['office_id', 'day', 'reason'])
        .where(
          'office_id',
          'in',
          offices.map((o) => o.id),
        )
        .where('day', '>=', ctx.today)
        .orderBy('day')
        .execute()
    : [];
  return {
    agencyCode: me.agencyCode,
    settings: { ...settings },
    businessTypes: types.map((t) => ({ code: t.code, name: t.name, items: t.item_codes, example: t.example })),
    offices: offices.map((o) => {
      const s = setups.get(o.id);
      return {
        id: o.id,
        code: o.code,
        name: o.name,
        kind: o.kind,
        address: o.address,
        phones: o.phones,
        configured: Boolean(s),
        enabled: s?.enabled ?? false,
        hours: s?.hours ?? [],
        hoursExample: s?.hoursExample ?? false,
        note: s?.note ?? null,
        services: (s?.services ?? [])
          .filter((x) => x.active)
          .map((x) => ({ business: x.business, slotMinutes: x.slotMinutes, capacity: x.capacity, example: x.example })),
        closedDays: closed.filter((c) => Number(c.office_id) === o.id).map((c) => ({ date: c.day, reason: c.reason })),
      };
    }),
    today: ctx.today,
  };
}

export async function putSettings(ctx: Ctx, body: ApptSettings): Promise<void> {
  const me = admin(ctx);
  const before = await requireSettings(ctx.db, me.agencyCode);
  await ctx.db
    .updateTable('appt_settings')
    .set({
      lead_working_days: body.leadWorkingDays,
      horizon_working_days: body.horizonWorkingDays,
      max_open: body.maxOpenBookings,
      no_show_limit: body.noShowLimit,
      no_show_window_days: body.noShowWindowDays,
      no_show_ban_days: body.noShowBanDays,
      // A value the admin changed is no longer an example; an unchanged one keeps its 示例 mark.
      example: before.example.filter((k) => before[k as keyof ApptSettings] === body[k as keyof ApptSettings]),
      updated_at: ctx.now,
      updated_by: me.id,
    })
    .where('agency_code', '=', me.agencyCode)
    .execute();
  const { example: _e, source: _s, ...old } = before;
  await audit(ctx, me, 'appointment.settings', me.agencyCode, { before: old, after: body });
}

export async function putOffice(ctx: Ctx, officeId: number, body: OfficeConfigIn): Promise<void> {
  const me = admin(ctx);
  const office = await repo.office(ctx.db, officeId);
  if (!office || office.agencyCode !== me.agencyCode || !office.active) throw new AppError('NOT_FOUND', '没有找到本机构的这个办事大厅。');
  const problems = periodProblems(body.hours);
  const codes = new Set((await repo.businessTypes(ctx.db, me.agencyCode)).map((b) => b.code));
  const seen = new Set<string>();
  body.services.forEach((s, i) => {
    if (!codes.has(s.business)) problems.push({ path: `services.${i}.business`, message: `未知的业务类型：${s.business}` });
    if (seen.has(s.business)) problems.push({ path: `services.${i}.business`, message: `业务类型重复：${s.business}` });
    seen.add(s.business);
  });
  if (problems.length) throw new AppError('VALIDATION_FAILED', `${ERRORS.VALIDATION_FAILED.zh}（${problems[0]!.message}）`, problems);
  const before = (await repo.officeSetups(ctx.db, [officeId])).get(officeId) ?? null;
  await ctx.db
    .insertInto('appt_offices')
    .values({
      office_id: officeId,
      agency_code: me.agencyCode,
      enabled: body.enabled,
      hours: JSON.stringify(body.hours),
      hours_example: false,
      updated_at: ctx.now,
    })
    .onConflict((oc) =>
      oc.column('office_id').doUpdateSet({ enabled: body.enabled, hours: JSON.stringify(body.hours), hours_example: false, updated_at: ctx.now }),
    )
    .execute();
  for (const s of body.services) {
    const old = before?.services.find((x) => x.business === s.business);
    const same = old && old.slotMinutes === s.slotMinutes && old.capacity === s.capacity && old.active === s.active;
    await ctx.db
      .insertInto('appt_services')
      .values({ office_id: officeId, business_code: s.business, slot_minutes: s.slotMinutes, capacity: s.capacity, active: s.active, example: false })
      .onConflict((oc) =>
        oc.columns(['office_id', 'business_code']).doUpdateSet({
          slot_minutes: s.slotMinutes,
          capacity: s.capacity,
          active: s.active,
          // An unchanged seeded row keeps its 示例 mark.
          ...(same ? {} : { example: false }),
        }),
      )
      .execute();
    // Slots already in use follow a new capacity, but never below the seats already taken.
    if (old && old.capacity !== s.capacity) {
      await ctx.db
        .updateTable('appt_slots')
        .set((eb) => ({ capacity: eb.fn('greatest', [eb.val(s.capacity), eb.ref('booked')]) }))
        .where('office_id', '=', officeId)
        .where('business_code', '=', s.business)
        .where('day', '>=', ctx.today)
        .execute();
    }
  }
  await audit(ctx, me, 'appointment.office', String(officeId), { office: office.code, before, after: body });
}

export async function closeDay(
  ctx: Ctx,
  officeId: number,
  date: string,
  reason: string,
): Promise<{ date: string; reason: string; cancelled: number }> {
  const me = admin(ctx);
  const office = await repo.office(ctx.db, officeId);
  if (!office || office.agencyCode !== me.agencyCode) throw new AppError('NOT_FOUND', '没有找到本机构的这个办事大厅。');
  if (date < ctx.today) throw new AppError('VALIDATION_FAILED', '不能关闭已过去的日期。', [{ path: 'date', message: '不能关闭已过去的日期' }]);
  const setup = (await repo.officeSetups(ctx.db, [officeId])).get(officeId);
  if (!setup) throw new AppError('APPT_SERVICE_UNAVAILABLE', '该大厅尚未开通预约，请先设置办公时间和号源。');
  await repo.lockDay(ctx.db, officeId, date, 'exclusive');
  await ctx.db
    .insertInto('appt_closed_days')
    .values({ office_id: officeId, day: date, reason, created_by: me.id, created_at: ctx.now })
    .onConflict((oc) => oc.columns(['office_id', 'day']).doUpdateSet({ reason, created_by: me.id, created_at: ctx.now }))
    .execute();
  const booked = await ctx.db
    .selectFrom('appointments')
    .selectAll()
    .where('office_id', '=', officeId)
    .where('day', '=', date)
    .where('status', '=', 'booked')
    .forUpdate()
    .execute();
  for (const a of booked) {
    await repo.releaseSeat(ctx.db, Number(a.slot_id));
    await ctx.db
      .updateTable('appointments')
      .set({ status: 'cancelled', cancelled_at: ctx.now, cancel_reason: `大厅暂停办公：${reason}`, cancelled_by: 'staff', updated_at: ctx.now })
      .where('id', '=', a.id)
      .execute();
    await repo.addEvent(ctx.db, { appointmentId: Number(a.id), at: ctx.now, kind: 'closed', actorKind: 'staff', actorId: me.id, note: reason });
    const body = `很抱歉，${office.name}${date} 暂停办公（${reason}），您预约的 ${date} ${a.start_time}–${a.end_time}“${a.business_name}”已取消，请重新预约其他日期。`;
    await tellHolder(ctx.db, a, `预约已取消：${office.name} ${date} 暂停办公`, body);
  }
  await audit(ctx, me, 'appointment.close_day', String(officeId), { office: office.code, date, reason, cancelled: booked.map((a) => a.code) });
  return { date, reason, cancelled: booked.length };
}

export async function reopenDay(ctx: Ctx, officeId: number, date: string): Promise<void> {
  const me = admin(ctx);
  const office = await repo.office(ctx.db, officeId);
  if (!office || office.agencyCode !== me.agencyCode) throw new AppError('NOT_FOUND', '没有找到本机构的这个办事大厅。');
  const res = await ctx.db.deleteFrom('appt_closed_days').where('office_id', '=', officeId).where('day', '=', date).executeTakeFirst();
  if (!Number(res.numDeletedRows)) throw new AppError('NOT_FOUND', `${date} 没有设置闭厅。`);
  await audit(ctx, me, 'appointment.reopen_day', String(officeId), { office: office.code, date });
}
