/** Public catalogue routes: thin — validate, call the query, present. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  agencyCodeParam,
  agencyDetail,
  agencySummary,
  checklistBody,
  checklistOut,
  itemOut,
  itemParams,
  itemsQuery,
  officeOut,
  searchOut,
  searchQuery,
  versionQuery,
  versionsOut,
} from '../../../common/api.ts';
import { checklist } from '../../../common/checklist.ts';
import type { AppDeps } from '../../http/deps.ts';
import * as q from './queries.ts';
import { renderBookletHtml } from './booklet-html.ts';
import { renderBookletPdf } from './booklet-pdf.ts';

export function catalogRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = () => deps.readCtx();
  const tags = ['catalog'];

  r.get('/api/agencies', { schema: { tags, summary: '经办机构列表', response: { 200: z.array(agencySummary) } } }, async () => q.listAgencies(ctx()));

  r.get(
    '/api/agencies/:code',
    {
      schema: {
        tags,
        summary: '经办机构详情（含分类、部门、禁办与容缺清单、措施）',
        params: agencyCodeParam,
        querystring: versionQuery,
        response: { 200: agencyDetail },
      },
    },
    async (req) => q.getAgency(ctx(), req.params.code, req.query.version),
  );

  r.get(
    '/api/agencies/:code/items',
    { schema: { tags, summary: '服务事项列表', params: agencyCodeParam, querystring: itemsQuery, response: { 200: z.array(itemOut) } } },
    async (req) => q.listItems(ctx(), req.params.code, { version: req.query.version, category: req.query.category }),
  );

  r.get(
    '/api/agencies/:code/items/:item',
    { schema: { tags, summary: '服务事项详情（办事指南）', params: itemParams, querystring: versionQuery, response: { 200: itemOut } } },
    async (req) => q.getItem(ctx(), req.params.code, req.params.item, req.query.version),
  );

  r.post(
    '/api/agencies/:code/items/:item/checklist',
    { schema: { tags, summary: '个人材料清单（一次性告知）', params: itemParams, body: checklistBody, response: { 200: checklistOut } } },
    async (req) => {
      const item = await q.getItem(ctx(), req.params.code, req.params.item);
      const answers = req.body.answers;
      const res = checklist(item, answers);
      return { item: { code: item.code, name: item.name }, answers, ...res };
    },
  );

  r.get(
    '/api/agencies/:code/offices',
    { schema: { tags, summary: '办事大厅与办事处', params: agencyCodeParam, response: { 200: z.array(officeOut) } } },
    async (req) => q.listOffices(ctx(), req.params.code),
  );

  r.get(
    '/api/agencies/:code/versions',
    { schema: { tags, summary: '事项清单版本', params: agencyCodeParam, response: { 200: versionsOut } } },
    async (req) => q.listVersions(ctx(), req.params.code),
  );

  r.get(
    '/api/search',
    { schema: { tags, summary: '搜索服务事项（中文子串）', querystring: searchQuery, response: { 200: searchOut } } },
    async (req) => q.search(ctx(), req.query.q, req.query.agency, req.query.limit),
  );

  r.get(
    '/api/agencies/:code/guide.html',
    { schema: { tags, summary: '办事指南手册（可打印 HTML）', params: agencyCodeParam, querystring: versionQuery } },
    async (req, reply) => {
      const { agency, items, offices } = await q.bookletData(ctx(), req.params.code, req.query.version);
      reply.type('text/html; charset=utf-8');
      return renderBookletHtml(agency, items, offices);
    },
  );

  r.get(
    '/api/agencies/:code/guide.pdf',
    { schema: { tags, summary: '办事指南手册（PDF）', params: agencyCodeParam, querystring: versionQuery } },
    async (req, reply) => {
      const { agency, items, offices } = await q.bookletData(ctx(), req.params.code, req.query.version);
      const pdf = await renderBookletPdf(agency, items, offices, deps.config.fonts);
      reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `inline; filename="${agency.code}-guide.pdf"; filename*=UTF-8''${encodeURIComponent(agency.name + '办事指南.pdf')}`,
        );
      return reply.send(pdf);
    },
  );
}
