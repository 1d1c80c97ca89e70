/** Public working-day calendar routes: thin — validate, call the service. The admin PUT needs a system or agency admin. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  calendarStatusOut,
  calendarStatusQuery,
  calendarVersionsOut,
  calendarYearIn,
  calendarYearOut,
  calendarYearParams,
  isWorkingDayOut,
  isWorkingDayQuery,
  workingDaysOut,
  workingDaysQuery,
} from '../../../common/api-calendar.ts';
import type { AppDeps } from '../../http/deps.ts';
import { z } from 'zod';
import { requireStaff } from '../../http/access.ts';
import * as svc from './service.ts';
import { PROVISIONAL_BASIS } from './provisional.ts';

export function calendarRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => deps.readCtx().db;
  const tags = ['calendar'];

  r.get(
    '/api/calendar/working-days',
    {
      schema: {
        tags,
        summary: '从某日起第 N 个工作日（不含当日；N=0 为当日），按地区工作日历（含法定节假日与调休）',
        querystring: workingDaysQuery,
        response: { 200: workingDaysOut },
      },
    },
    async (req) => svc.workingDaysAfter(db(), req.query.region, req.query.from, req.query.days),
  );

  r.get(
    '/api/calendar/is-working-day',
    { schema: { tags, summary: '某日是否为工作日', querystring: isWorkingDayQuery, response: { 200: isWorkingDayOut } } },
    async (req) => svc.isWorkingDay(db(), req.query.region, req.query.date),
  );

  r.get(
    '/api/calendar/status',
    {
      schema: {
        tags,
        summary: '地区工作日历状况：哪些年度为预计（国务院放假安排尚未公布），以及每年10月1日起提醒录入下一年度',
        querystring: calendarStatusQuery,
        response: { 200: calendarStatusOut },
      },
    },
    async (req) => ({ ...(await svc.calendarStatus(db(), req.query.region, deps.readCtx().today)), basis: PROVISIONAL_BASIS }),
  );

  r.get(
    '/api/calendar/:region/:year',
    { schema: { tags, summary: '地区某年度的工作日历（现行版本，含逐月日历）', params: calendarYearParams, response: { 200: calendarYearOut } } },
    async (req) => svc.getYear(db(), req.params.region, req.params.year),
  );

  r.get(
    '/api/calendar/:region/:year/versions',
    { schema: { tags, summary: '地区某年度工作日历的版本历史', params: calendarYearParams, response: { 200: calendarVersionsOut } } },
    async (req) => svc.getYearHistory(db(), req.params.region, req.params.year),
  );

  r.put(
    '/api/calendar/:region/:year',
    {
      schema: {
        tags,
        summary: '录入或修改某年度工作日历（生成新版本；系统管理员可改任意地区，机构管理员只可改本机构所在地区）',
        params: calendarYearParams,
        body: calendarYearIn,
        response: { 200: z.object({ region: z.string(), year: z.number(), version: z.number(), recompute: z.number() }) },
      },
    },
    async (req) => {
      const a = requireStaff(req, ['sysadmin', 'agency_admin']);
      const ctx = deps.ctx(req);
      if (!a.roles.includes('sysadmin')) await svc.assertOwnRegion(ctx.db, a.agencyCode!, req.params.region);
      const res = await svc.putYear(ctx.db, {
        region: req.params.region,
        year: req.params.year,
        ...req.body,
        actor: `${a.name}（${a.login}）`,
        now: ctx.now,
        audit: { actorKind: 'staff', actorId: String(a.id), actorLabel: a.name, agencyCode: a.agencyCode, requestId: req.id, ip: req.ip },
      });
      return res;
    },
  );
}
