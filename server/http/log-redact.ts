/**
 * Personal data out of the server log (issue 17). Three layers, so a new log call cannot leak by
 * accident:
 * - the request serializer logs a URL whose query values under personal keys (idNo, mobile, name, q…)
 *   are replaced, and the rest masked;
 * - pino `redact` drops credentials (cookie, authorization, CSRF token, passwords) wherever a log
 *   object carries them;
 * - every line the logger writes passes `redactText`, which masks any 18-character ID number and any
 *   11-digit mobile in it (message text, error messages and stacks included).
 * Masks are the staff lists' (`common/ids.ts`): 4202**********0012, 138****1234.
 */
import type { FastifyRequest } from 'fastify';
import { maskCitizenId, maskMobile } from '../../common/ids.ts';

// Not inside a longer run of letters or digits: a UUID, a hash or a 13-digit timestamp stays as it is.
// One pass: an 18-character ID number (17 digits and a digit or X) or an 11-digit mobile.
const PERSONAL = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|1[3-9]\d{9})(?![0-9A-Za-z])/g;

/** Mask ID numbers and mobiles anywhere in a text. */
export function redactText(s: string): string {
  return s.replace(PERSONAL, (m) => (m.length === 18 ? maskCitizenId(m) : maskMobile(m)));
}

/** Query keys whose values are personal or secret: their values are never logged (compared lower-case, without _ and -). */
const PERSONAL_KEYS = new Set([
  'idno',
  'idnumber',
  'idcard',
  'mobile',
  'phone',
  'tel',
  'name',
  'q',
  'email',
  'login',
  'code',
  'token',
  'password',
  'secret',
  'address',
]);

/** The URL as it may be logged: personal query values replaced by `_`, ID numbers and mobiles masked elsewhere. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  if (at < 0) return redactText(path);
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let key = pair.slice(0, eq);
      try {
        key = decodeURIComponent(key);
      } catch {
        // a malformed key is compared as it came
      }
      return PERSONAL_KEYS.has(key.toLowerCase().replace(/[_-]/g, '')) ? `${pair.slice(0, eq)}=_` : pair;
    })
    .join('&');
  // Values may also be percent-encoded or sit in the path (/persons/110101…): mask what is left.
  return redactText(`${path}?${query}`);
}

/** Fastify's request serializer with the URL redacted (the default one logs `req.url` as it came). */
export function serializeReq(req: FastifyRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** pino paths whose values are dropped wherever they appear. */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'password',
  '*.password',
  'newPassword',
  '*.newPassword',
  'totp',
  '*.totp',
];

export interface LogSink {
  write(line: string): unknown;
}

/** A destination that masks ID numbers and mobiles in each line before it is written. */
export function redactingSink(dest: LogSink): LogSink {
  return { write: (line: string) => dest.write(redactText(line)) };
}

/** Fastify `logger` options: level, the redacting serializer and paths, written through `redactingSink`. */
export function loggerOptions(level: string, dest: LogSink = process.stdout) {
  return {
    level,
    serializers: { req: serializeReq },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    stream: redactingSink(dest),
  };
}
