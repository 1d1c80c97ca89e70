/**
 * The edge check every request passes before validation: no string the client sent (JSON body,
 * query string, path parameters; multipart field values and file names through `assertCleanText`)
 * may hold U+0000 or an unpaired surrogate. PostgreSQL refuses both in text and jsonb, so left in
 * they would reach the database as a 500; refused here they answer 400 BAD_CHARACTERS with the
 * field's dotted path. Other control characters are left to each field's schema (multi-line text
 * keeps its line breaks and tabs).
 */
import type { FastifyInstance } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { AppError } from '../../common/errors.ts';

/** Whether a string holds a character no field may hold (NUL, or a lone surrogate). */
export function hasBadCharacters(s: string): boolean {
  return s.includes('\u0000') || !s.isWellFormed();
}

/** The dotted path of the first string (key or value) in `v` with a bad character, or null. Iterative: any depth. */
export function badCharacterPath(v: unknown, path: string): string | null {
  const stack: [unknown, string][] = [[v, path]];
  while (stack.length) {
    const [x, p] = stack.pop()!;
    if (typeof x === 'string') {
      if (hasBadCharacters(x)) return p;
    } else if (x !== null && typeof x === 'object' && !Buffer.isBuffer(x)) {
      for (const [k, y] of Object.entries(x)) {
        const here = `${p}.${k}`;
        if (hasBadCharacters(k)) return here;
        stack.push([y, here]);
      }
    }
  }
  return null;
}

/** Throws BAD_CHARACTERS when `s` holds NUL or a lone surrogate (for multipart fields and file names). */
export function assertCleanText(s: string | undefined, path: string): void {
  if (s !== undefined && hasBadCharacters(s)) throw new AppError('BAD_CHARACTERS', undefined, { path });
}

export function registerEdgeChecks(app: FastifyInstance): void {
  // preValidation: after the body is parsed, before the route's schema and handler see anything.
  app.addHook('preValidation', async (req) => {
    const path =
      badCharacterPath(req.params, 'params') ??
      badCharacterPath(req.query, 'query') ??
      (req.isMultipart?.() ? null : badCharacterPath(req.body, 'body'));
    if (path !== null) throw new AppError('BAD_CHARACTERS', undefined, { path });
  });
}

/**
 * busboy (under @fastify/multipart) throws plain Errors for a body the client broke: a missing or
 * bad boundary, a body cut short. @fastify/multipart's own are coded. Each is the input's fault:
 * the error mapper answers 400 BAD_MULTIPART.
 */
const BUSBOY_MESSAGES =
  /^(Multipart: Boundary not found|Boundary required|Unexpected end of multipart data|\w+ terminated early due to unexpected end of multipart data|The needle |Unsupported Content-Type\.|Malformed)/;
const MULTIPART_CODES = new Set([
  'FST_MP_PREMATURE_CLOSE',
  'FST_PROTO_VIOLATION',
  'FST_INVALID_JSON_FIELD_ERROR',
  'FST_INVALID_MULTIPART_CONTENT_TYPE',
]);

export function isMultipartError(err: { code?: string; message?: string }): boolean {
  return (err.code !== undefined && MULTIPART_CODES.has(err.code)) || (err.code === undefined && BUSBOY_MESSAGES.test(err.message ?? ''));
}

/**
 * A multipart file part read whole. Past the part's size limit → `tooLarge()` (default FILE_TOO_LARGE).
 * @fastify/multipart's toBuffer() misses the limit when busboy marks the stream truncated only after
 * its last chunk was read (it then returns the cut file), so `truncated` is checked again here.
 */
export async function readFilePart(part: MultipartFile, tooLarge: () => AppError = () => new AppError('FILE_TOO_LARGE')): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await part.toBuffer();
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw e;
  }
  if (part.file.truncated) throw tooLarge();
  return bytes;
}
