/**
 * Roster files are parsed off the request thread: one worker thread per file with a heap limit
 * (`resourceLimits`) and a time limit, so a hostile file can only end its own worker, which answers
 * a coded 4xx. At most `parallel` files are parsed at once and `queue` wait; more are refused with
 * ROSTER_BUSY (429). An upload is read only once its turn comes, and its bytes are handed to the
 * worker, not copied.
 */
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../../common/errors.ts';
import { sha256Hex } from '../../platform/storage.ts';
import type { ReadLimits, RosterCheck } from './roster-read.ts';

export interface RosterParserOptions {
  maxRows: number;
  parallel?: number;
  queue?: number;
  /** The worker's old-generation heap, MB. */
  heapMb?: number;
  timeoutMs?: number;
}

export interface RosterParser {
  /**
   * Read the file (`upload.load`: the upload's bytes, read only once a slot is free, so waiting uploads
   * stay unread in their sockets) and parse it; `sha` is the file's hash.
   */
  parse(upload: RosterUpload, fileName: string, today: string): Promise<{ sha: string; check: RosterCheck }>;
}

export interface RosterUpload {
  /** The whole file (size-capped by the caller). */
  load(): Promise<Buffer>;
  /** Read and drop it (a refused upload is still read, so the client gets the answer, not a reset). */
  discard(): Promise<void>;
}

const WORKER_URL = new URL('./roster-worker.ts', import.meta.url);

export function createRosterParser(opts: RosterParserOptions): RosterParser {
  const parallel = opts.parallel ?? 1;
  const queueMax = opts.queue ?? 4;
  const heapMb = opts.heapMb ?? 160;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const limits: ReadLimits = {
    maxRows: opts.maxRows,
    // A roster has five columns; room for some more, not for a sheet of millions of cells.
    maxCells: Math.max(100_000, opts.maxRows * 20),
    maxChars: Math.max(1_000_000, opts.maxRows * 200),
  };
  let running = 0;
  const waiting: (() => void)[] = [];

  const run = (bytes: Buffer, fileName: string, today: string) =>
    new Promise<RosterCheck>((resolve, reject) => {
      // Handed to the worker, not cloned: the upload's own memory when it has it to itself (a
      // concatenated upload does), else a copy (a slice of Node's shared pool must not be taken).
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
      const own = whole ? new Uint8Array(bytes.buffer as ArrayBuffer) : Uint8Array.from(bytes);
      const w = new Worker(WORKER_URL, {
        workerData: { bytes: own, fileName, today, limits },
        transferList: [own.buffer],
        resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
      });
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
        void w.terminate();
      };
      const timer = setTimeout(() => settle(() => reject(new AppError('ROSTER_TOO_COMPLEX'))), timeoutMs);
      w.on('message', (m: { ok: true; check: RosterCheck } | { ok: false; code: ErrorCode; message: string; details?: unknown }) =>
        settle(() => (m.ok ? resolve(m.check) : reject(new AppError(m.code, m.message || undefined, m.details)))),
      );
      w.on('error', (e: Error & { code?: string }) =>
        settle(() =>
          reject(
            e.code === 'ERR_WORKER_OUT_OF_MEMORY' || e instanceof RangeError ? new AppError('ROSTER_TOO_COMPLEX') : new AppError('ROSTER_UNREADABLE'),
          ),
        ),
      );
      w.on('exit', () => settle(() => reject(new AppError('ROSTER_TOO_COMPLEX'))));
    });

  return {
    async parse(upload, fileName, today) {
      if (running >= parallel) {
        if (waiting.length >= queueMax) {
          await upload.discard();
          throw new AppError('ROSTER_BUSY');
        }
        await new Promise<void>((r) => waiting.push(r));
      } else running++;
      try {
        const bytes = await upload.load();
        const sha = sha256Hex(bytes);
        return { sha, check: await run(bytes, fileName, today) };
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
  };
}
