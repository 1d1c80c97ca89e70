/** Build the Fastify app: one error mapper, the modules, the API docs and the web app. */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { ERRORS, type ErrorBody, type ErrorCode } from '../common/errors.ts';
import { healthOut } from '../common/api.ts';
import { plainZh } from '../common/zod-zh.ts';
import type { Config } from './config.ts';
import { domainToAppError } from './errors.ts';
import { ping, type DbHandle } from './db/index.ts';
import type { Clock } from './platform/clock.ts';
import { routeDeps } from './http/deps.ts';
import { isMultipartError, registerEdgeChecks } from './http/edge.ts';
import { catalogRoutes } from './modules/catalog/index.ts';
import { calendarRoutes } from './modules/calendar/index.ts';
import fastifyMultipart from '@fastify/multipart';
import { validateWorkflow } from '../common/workflow.ts';
import { UPLOAD_LIMITS } from '../common/forms.ts';
import { accountRoutes, registerAuth, unitClerkRoutes } from './modules/accounts/index.ts';
import { applicantCaseRoutes, createCaseEnv, loadVisible, staffCaseRoutes } from './modules/cases/index.ts';
import { documentRoutes } from './modules/documents/index.ts';
import { employerRoutes } from './modules/employer/index.ts';
import { personRoutes, registryAdminRoutes, transferRoutes } from './modules/registry/index.ts';
import { ruleAdminRoutes } from './modules/rules/index.ts';
import { dashboardRoutes } from './modules/dashboard/index.ts';
import { feedbackRoutes } from './modules/feedback/index.ts';
import { appointmentRoutes } from './modules/appointments/index.ts';
import { emergencyRoutes } from './modules/emergency/index.ts';
import { benchRoutes } from './modules/bench/index.ts';
import { docsCsp, registerSecurity } from './http/security.ts';
import { loggerOptions, type LogSink } from './http/log-redact.ts';

const VERSION = '0.1.0';

function errorBody(code: ErrorCode, message: string, requestId: string, details?: unknown): ErrorBody {
  return { error: { code, message, requestId, ...(details === undefined ? {} : { details }) } };
}

export async function buildApp(opts: {
  config: Config;
  dbh: DbHandle;
  clock: Clock;
  /** false: no log; a sink: the (redacted) log lines go there instead of stdout. */
  logger?: boolean | LogSink;
}): Promise<FastifyInstance> {
  const { config, dbh, clock } = opts;
  const app = Fastify({
    logger:
      opts.logger === false || config.LOG_LEVEL === 'silent'
        ? false
        : loggerOptions(config.LOG_LEVEL, typeof opts.logger === 'object' ? opts.logger : process.stdout),
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    // Loading swagger-ui's assets can take over the 10 s default on a busy 2-core machine.
    pluginTimeout: 120_000,
  });
  // Request validation answers in plain Chinese where a schema has no message of its own. zod's
  // configuration is process-wide, so anything else this process parses reports in the same words.
  z.config({ localeError: plainZh });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const deps = routeDeps(config, dbh.db, clock);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const known = domainToAppError(err);
    if (known) return reply.status(known.status).send(errorBody(known.code, known.message, req.id, known.details));
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: v.instancePath.replace(/^\//, '').replaceAll('/', '.') || (err.validationContext ?? ''),
        message: v.message,
      }));
      return reply
        .status(400)
        .send(
          errorBody(
            'VALIDATION_FAILED',
            `${ERRORS.VALIDATION_FAILED.zh}${details.map((d) => `（${d.path}：${d.message}）`).join('')}`,
            req.id,
            details,
          ),
        );
    }
    if (
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      (err.statusCode === 400 && err instanceof SyntaxError)
    ) {
      return reply.status(400).send(errorBody('BAD_JSON', ERRORS.BAD_JSON.zh, req.id));
    }
    if (err.code === 'FST_REQ_FILE_TOO_LARGE') return reply.status(413).send(errorBody('FILE_TOO_LARGE', ERRORS.FILE_TOO_LARGE.zh, req.id));
    if (err.code === 'FST_FILES_LIMIT' || err.code === 'FST_PARTS_LIMIT' || err.code === 'FST_FIELDS_LIMIT')
      return reply.status(400).send(errorBody('VALIDATION_FAILED', '每次只能上传一个文件。', req.id));
    if (isMultipartError(err)) return reply.status(400).send(errorBody('BAD_MULTIPART', ERRORS.BAD_MULTIPART.zh, req.id));
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send(errorBody('PAYLOAD_TOO_LARGE', ERRORS.PAYLOAD_TOO_LARGE.zh, req.id));
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply.status(415).send(errorBody('UNSUPPORTED_MEDIA_TYPE', ERRORS.UNSUPPORTED_MEDIA_TYPE.zh, req.id));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(400).send(errorBody('VALIDATION_FAILED', `${ERRORS.VALIDATION_FAILED.zh}（${err.message}）`, req.id));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorBody('INTERNAL', ERRORS.INTERNAL.zh, req.id));
  });

  // Security headers and Cache-Control on every answer (server/http/security.ts); before any route.
  await registerSecurity(app, config);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: '医保经办服务平台 API', version: VERSION, description: '事项清单、办事指南与搜索。错误统一为 { error: { code, message } }。' },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: docsCsp(config.PUBLIC_URL.startsWith('https:')),
    uiConfig: { validatorUrl: null },
  });

  app.withTypeProvider().get('/healthz', { schema: { summary: '健康检查', response: { 200: healthOut, 503: healthOut } } }, async (_req, reply) => {
    const ok = await ping(dbh.db);
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', db: { kind: dbh.kind, ok }, version: VERSION });
  });

  // The workflow table is data: refuse to start with a broken one.
  const wfProblems = validateWorkflow();
  if (wfProblems.length) throw new Error(`Workflow table is invalid:\n  ${wfProblems.join('\n  ')}`);

  await registerAuth(app, { db: dbh.db, clock, secureCookies: config.cookieSecure });
  registerEdgeChecks(app);
  await app.register(fastifyMultipart, { limits: { fileSize: UPLOAD_LIMITS.maxFileBytes, files: 1, fields: 5 } });

  catalogRoutes(app, deps);
  calendarRoutes(app, deps);
  accountRoutes(app, deps);
  unitClerkRoutes(app, deps);
  const caseEnv = createCaseEnv(config, clock);
  applicantCaseRoutes(app, deps, caseEnv);
  staffCaseRoutes(app, deps, caseEnv);
  documentRoutes(app, deps, { env: caseEnv, caseVisible: loadVisible });
  transferRoutes(app, deps, caseEnv);
  personRoutes(app, deps);
  employerRoutes(app, deps);
  ruleAdminRoutes(app, deps);
  registryAdminRoutes(app, deps);
  feedbackRoutes(app, deps);
  appointmentRoutes(app, deps);
  emergencyRoutes(app, deps);
  dashboardRoutes(app, deps);
  if (config.BENCH_ROUTES === 'on') benchRoutes(app, deps);

  const hasWeb = existsSync(config.webDist);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: config.webDist, prefix: '/', wildcard: false, index: false });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0]!;
    if (url.startsWith('/api/') || url === '/api' || req.method !== 'GET') {
      return reply.status(404).send(errorBody('NOT_FOUND', `${ERRORS.NOT_FOUND.zh}（${req.method} ${url}）`, req.id));
    }
    if (hasWeb) {
      if (/\.[a-z0-9]+$/i.test(url)) return reply.status(404).send(errorBody('NOT_FOUND', ERRORS.NOT_FOUND.zh, req.id));
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return reply
      .status(404)
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><meta charset="utf-8"><title>医保经办服务平台</title><p>网页尚未构建：请先运行 <code>npm run build</code>。API 文档见 <a href="/api/docs">/api/docs</a>。</p>',
      );
  });
  return app;
}
