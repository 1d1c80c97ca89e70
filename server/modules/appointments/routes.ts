/** Hall appointment routes: thin — validate, authorise, open the transaction, call the service. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adminConfigOut,
  appointmentOut,
  apptOptionsOut,
  apptSettings,
  bookIn,
  cancelIn,
  checkInIn,
  closedDayIn,
  closedDayOut,
  hallActionOut,
  hallDayOut,
  hallDayQuery,
  myAppointmentsOut,
  officeConfigIn,
  rescheduleIn,
  slotsOut,
  slotsQuery,
  standingOut,
} from '../../../common/api-appointments.ts';
import { qrText } from '../../../common/appointments.ts';
import { calendarDate } from '../../../common/date-schema.ts';
import type { AppDeps } from '../../http/deps.ts';
import type { Ctx } from '../../http/actor.ts';
import { requireStaff, requireUser } from '../../http/access.ts';
import { toAppError } from '../calendar/index.ts';
import * as admin from './admin.ts';
import * as hall from './hall.ts';
import * as svc from './service.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const ok = z.object({ ok: z.boolean() });

export function appointmentRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tx = async <T>(req: FastifyRequest, fn: (ctx: Ctx) => Promise<T>): Promise<T> => {
    try {
      return await deps.tx(req, fn);
    } catch (e) {
      throw toAppError(e);
    }
  };
  const read = async <T>(req: FastifyRequest, fn: (ctx: Ctx) => Promise<T>): Promise<T> => {
    try {
      return await fn(deps.ctx(req));
    } catch (e) {
      throw toAppError(e);
    }
  };
  const tags = ['预约'];

  // ---- public ----

  r.get(
    '/api/agencies/:agency/appointments',
    {
      schema: {
        tags,
        summary: '大厅预约：可预约的大厅、业务类型、规则和当前可预约的日期范围',
        params: z.object({ agency: z.string().min(1).max(40) }),
        response: { 200: apptOptionsOut },
      },
    },
    async (req) => read(req, (ctx) => svc.options(ctx.db, req.params.agency, ctx.today)),
  );

  r.get(
    '/api/appointments/slots',
    {
      schema: {
        tags,
        summary: '某大厅某业务类型未来若干天的预约时段与余号（按工作日历，节假日与闭厅日不开放）',
        querystring: slotsQuery,
        response: { 200: slotsOut },
      },
    },
    async (req) => read(req, (ctx) => svc.slots(ctx.db, req.query, ctx.today, ctx.now)),
  );

  // ---- citizens ----

  r.post(
    '/api/appointments',
    {
      schema: {
        tags,
        summary: '预约一个时段（须至少提前规定的工作日数；每人未办理的预约有上限；多次未到暂停预约；约满返回 APPT_SLOT_FULL）',
        body: bookIn,
        response: { 201: appointmentOut },
      },
    },
    async (req, reply) => {
      requireUser(req);
      return reply.status(201).send(await tx(req, (ctx) => svc.book(ctx, req.body)));
    },
  );

  r.get(
    '/api/appointments/mine',
    { schema: { tags, summary: '我的预约（未办理的在前）及各机构的预约资格', response: { 200: myAppointmentsOut } } },
    async (req) => {
      requireUser(req);
      return read(req, (ctx) => svc.mine(ctx));
    },
  );

  r.get(
    '/api/appointments/standing',
    {
      schema: {
        tags,
        summary: '我在某机构能否新预约、为什么（未办理预约数、爽约暂停）',
        querystring: z.object({ agency: z.string().min(1).max(40) }),
        response: { 200: standingOut },
      },
    },
    async (req) => {
      const a = requireUser(req);
      return read(req, (ctx) => svc.standing(ctx.db, a.id, req.query.agency, ctx.today));
    },
  );

  r.get(
    '/api/appointments/:id',
    { schema: { tags, summary: '预约详情（本人）', params: idParams, response: { 200: appointmentOut } } },
    async (req) => {
      requireUser(req);
      return read(req, (ctx) => svc.detail(ctx, req.params.id));
    },
  );

  r.get('/api/appointments/:id/qr.svg', { schema: { tags, summary: '预约二维码（SVG，内容为预约码）', params: idParams } }, async (req, reply) => {
    requireUser(req);
    const a = await read(req, (ctx) => svc.ownAppointment(ctx, req.params.id));
    const { default: QRCode } = await import('qrcode'); // loaded on first use, like the PDF libraries
    const svg = await QRCode.toString(qrText(a.code), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return reply.type('image/svg+xml').header('cache-control', 'private, no-store').send(svg);
  });

  r.post(
    '/api/appointments/:id/cancel',
    { schema: { tags, summary: '取消预约（时段开始前）', params: idParams, body: cancelIn, response: { 200: appointmentOut } } },
    async (req) => {
      requireUser(req);
      return tx(req, (ctx) => svc.cancel(ctx, req.params.id, req.body.reason));
    },
  );

  r.post(
    '/api/appointments/:id/reschedule',
    {
      schema: {
        tags,
        summary: '改约到同一大厅、同一业务的另一时段（规则与新预约相同）',
        params: idParams,
        body: rescheduleIn,
        response: { 200: appointmentOut },
      },
    },
    async (req) => {
      requireUser(req);
      return tx(req, (ctx) => svc.reschedule(ctx, req.params.id, req.body));
    },
  );

  // ---- hall staff ----

  r.get(
    '/api/staff/appointments',
    { schema: { tags, summary: '大厅某日的预约（默认今天）', querystring: hallDayQuery, response: { 200: hallDayOut } } },
    async (req) => {
      requireStaff(req);
      return read(req, (ctx) => hall.hallDay(ctx, req.query.office, req.query.date));
    },
  );

  r.post(
    '/api/staff/appointments/check-in',
    { schema: { tags, summary: '凭预约码签到（扫码枪或手工输入；须为本大厅今天的预约）', body: checkInIn, response: { 200: hallActionOut } } },
    async (req) => {
      requireStaff(req);
      return tx(req, (ctx) => hall.checkIn(ctx, req.body));
    },
  );

  r.post(
    '/api/staff/appointments/:id/serve',
    { schema: { tags, summary: '标记已办理（须已签到）', params: idParams, response: { 200: hallActionOut } } },
    async (req) => {
      requireStaff(req);
      return tx(req, (ctx) => hall.serve(ctx, req.params.id));
    },
  );

  r.post(
    '/api/staff/appointments/:id/no-show',
    { schema: { tags, summary: '记为未到（时段开始后）', params: idParams, response: { 200: hallActionOut } } },
    async (req) => {
      requireStaff(req);
      return tx(req, (ctx) => hall.markNoShow(ctx, req.params.id));
    },
  );

  // ---- agency admin ----

  r.get(
    '/api/admin/appointments',
    { schema: { tags, summary: '预约设置：规则、业务类型、各大厅的办公时间、号源和闭厅日', response: { 200: adminConfigOut } } },
    async (req) => {
      requireStaff(req, ['agency_admin']);
      return read(req, (ctx) => admin.config(ctx));
    },
  );

  r.put(
    '/api/admin/appointments/settings',
    { schema: { tags, summary: '修改预约规则（提前天数、可约范围、每人上限、爽约规则）', body: apptSettings, response: { 200: ok } } },
    async (req) => {
      requireStaff(req, ['agency_admin']);
      await tx(req, (ctx) => admin.putSettings(ctx, req.body));
      return { ok: true };
    },
  );

  r.put(
    '/api/admin/appointments/offices/:id',
    {
      schema: {
        tags,
        summary: '修改大厅的办公时间和各业务的号源（时段长度、每时段号数）',
        params: idParams,
        body: officeConfigIn,
        response: { 200: ok },
      },
    },
    async (req) => {
      requireStaff(req, ['agency_admin']);
      await tx(req, (ctx) => admin.putOffice(ctx, req.params.id, req.body));
      return { ok: true };
    },
  );

  r.post(
    '/api/admin/appointments/offices/:id/closed-days',
    {
      schema: { tags, summary: '设置闭厅日（该日已有的预约取消并通知本人）', params: idParams, body: closedDayIn, response: { 201: closedDayOut } },
    },
    async (req, reply) => {
      requireStaff(req, ['agency_admin']);
      return reply.status(201).send(await tx(req, (ctx) => admin.closeDay(ctx, req.params.id, req.body.date, req.body.reason)));
    },
  );

  r.delete(
    '/api/admin/appointments/offices/:id/closed-days/:date',
    {
      schema: {
        tags,
        summary: '取消闭厅日',
        params: z.object({ id: z.coerce.number().int().positive(), date: calendarDate }),
        response: { 200: ok },
      },
    },
    async (req) => {
      requireStaff(req, ['agency_admin']);
      await tx(req, (ctx) => admin.reopenDay(ctx, req.params.id, req.params.date));
      return { ok: true };
    },
  );
}
