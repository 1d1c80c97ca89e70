import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ERRORS } from '../common/errors.ts';
import { DOMAIN_ERRORS, domainToAppError } from './errors.ts';

/** Every `class X extends …Error` declared in common/ and server/ (tests and the error types themselves aside). */
function errorClasses(): { file: string; name: string }[] {
  const out: { file: string; name: string }[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = path.join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.test.ts'))
        for (const m of readFileSync(p, 'utf8').matchAll(/^\s*(?:export\s+)?class\s+(\w+)\s+extends\s+(\w*Error)\b/gm))
          out.push({ file: p, name: m[1]! });
    }
  };
  walk('common');
  walk('server');
  return out;
}

// Not domain errors: AppError is what the table maps to; Rollback (bench routes) is control flow
// that never leaves its own transaction; CryptoError (platform/crypto.ts) is stored data that fails
// its tag or a key that is not configured: a fault of the server (500, logged), never of a request;
// BackupError (db/backup.ts) is thrown only by the backup and restore commands, never in a request.
const NOT_DOMAIN = new Set(['AppError', 'Rollback', 'CryptoError', 'BackupError']);

test('every domain error class is in the table and maps to a coded AppError, never INTERNAL', async () => {
  const found = errorClasses().filter((c) => !NOT_DOMAIN.has(c.name));
  assert.ok(found.length >= 4, `found ${found.map((c) => c.name)}`);
  const inTable = new Set(DOMAIN_ERRORS.map((m) => (m.cls as { name: string }).name));
  for (const c of found) {
    assert.ok(inTable.has(c.name), `${c.name} (${c.file}) has no entry in server/errors.ts`);
    const mod = (await import(pathToFileURL(path.resolve(c.file)).href)) as Record<string, new (...a: unknown[]) => Error>;
    const Cls = mod[c.name];
    assert.ok(Cls, `${c.name} is exported from ${c.file}`);
    // Each class's constructor takes what its own code throws it with.
    const sample =
      c.name === 'CalendarNotCovered'
        ? new Cls(2031, 2029)
        : c.name === 'BenefitError'
          ? new Cls('BENEFIT_PARAMS_MISSING', '未录入')
          : new Cls('无效的值');
    const mapped = domainToAppError(sample);
    assert.ok(mapped, `${c.name} maps to an AppError`);
    assert.notEqual(mapped!.code, 'INTERNAL');
    assert.ok(mapped!.status >= 400 && mapped!.status < 500, `${c.name} → ${mapped!.status}`);
    assert.equal(ERRORS[mapped!.code].status, mapped!.status);
  }
});

test('the calendar errors carry their year; a plain RangeError or TypeError is a bug, not a domain error', async () => {
  const { CalendarNotCovered, InvalidDate } = await import('../common/calendar.ts');
  const beyond = domainToAppError(new CalendarNotCovered(2031, 2029))!;
  assert.equal(beyond.code, 'CALENDAR_NOT_COVERED');
  assert.deepEqual(beyond.details, { year: 2031, lastYear: 2029 });
  assert.match(beyond.message, /2031 年的放假安排尚未公布/);
  assert.equal(domainToAppError(new InvalidDate('2026-02-30'))!.code, 'VALIDATION_FAILED');
  assert.equal(domainToAppError(new RangeError('Invalid time value')), null);
  assert.equal(domainToAppError(new TypeError('x is undefined')), null);
});
