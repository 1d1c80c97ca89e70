/**
 * The roster worker: reads and format-checks one roster file off the request thread (roster-parse.ts
 * starts one per file, with a heap limit). Posts `{ ok: true, check }` or `{ ok: false, code, message,
 * details }`; anything worse (out of memory, a crash) ends the thread and the parent maps that.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readRoster, RosterReadError, type ReadLimits } from './roster-read.ts';

interface Job {
  bytes: Uint8Array;
  fileName: string;
  today: string;
  limits: ReadLimits;
}

const job = workerData as Job;
try {
  const check = await readRoster(job.bytes, job.fileName, job.limits, job.today);
  parentPort!.postMessage({ ok: true, check });
} catch (e) {
  if (e instanceof RosterReadError) parentPort!.postMessage({ ok: false, code: e.code, message: e.message, details: e.details });
  else parentPort!.postMessage({ ok: false, code: 'ROSTER_UNREADABLE', message: '' });
}
