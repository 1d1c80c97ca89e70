/**
 * The roster worker: reads and format-checks one roster file off the request thread (roster-parse.ts
 * starts one per file, with a heap limit). Posts `{ ok: true, check }` or `{ ok: false, code, message,
 * details }`; anything worse (out of memory, a crash) ends the thread and the parent maps that.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadLimits } from './roster-read.ts';

interface Job {
  bytes: Uint8Array;
  fileName: string;
  today: string;
  limits: ReadLimits;
}

// On Linux a thread has a nice value of its own: this one yields the CPU to the request thread,
// so /healthz and every other request keep answering while a big file is read.
try {
  const tid = Number(/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1]);
  if (tid) setPriority(tid, 19);
} catch {
  /* not Linux: the same code runs at the same priority */
}

const { readRoster } = await import('./roster-read.ts');
const { AppError } = await import('../../../common/errors.ts');
const job = workerData as Job;
try {
  const check = await readRoster(job.bytes, job.fileName, job.limits, job.today);
  parentPort!.postMessage({ ok: true, check });
} catch (e) {
  if (e instanceof AppError) parentPort!.postMessage({ ok: false, code: e.code, message: e.message, details: e.details });
  else parentPort!.postMessage({ ok: false, code: 'ROSTER_UNREADABLE', message: '' });
}
