/**
 * Response recording for refactors that must not change behaviour (issue 15): with
 * RECORD_RESPONSES=<dir>, every test server appends each API answer (method, route, status,
 * JSON body) to <dir>/<test file>.jsonl. `node scripts/response-diff.ts <before> <after>`
 * compares two such runs after masking what differs from run to run (uuids, tokens, stamps).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

export function recordResponses(app: FastifyInstance, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${path.basename(process.argv[1] ?? 'unknown')}.jsonl`);
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.url.startsWith('/api/')) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    const body = typeof payload === 'string' && type.includes('json') ? payload : `<${type.split(';')[0] || 'empty'}>`;
    const line = { method: req.method, url: req.url, route: req.routeOptions.url ?? null, status: reply.statusCode, body };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    return payload;
  });
}
