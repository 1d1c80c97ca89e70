/** Public working-day calendar routes: thin — validate, call the service. The admin PUT is wired with authentication elsewhere. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  calendarVersionsOut,
  calendarYearOut,
  calendarYearParams,
  isWorkingDayOut,
  isWorkingDayQuery,
  workingDaysOut,
  workingDaysQuery,
} from '../../../common/api-calendar.ts';
import type { AppDeps } from '../../app.ts';
import * as svc from './service.ts';

export function calendarRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => deps.dbh.db;
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
    async (req) => ({ date: await svc.workingDaysAfter(db(), req.query.region, req.query.from, req.query.days) }),
  );

  r.get(
    '/api/calendar/is-working-day',
    { schema: { tags, summary: '某日是否为工作日', querystring: isWorkingDayQuery, response: { 200: isWorkingDayOut } } },
    async (req) => ({ workingDay: await svc.isWorkingDay(db(), req.query.region, req.query.date) }),
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
}
