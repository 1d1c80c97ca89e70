/**
 * Reading a roster file as a stream, with caps enforced while reading (issue 17, bounded parsing):
 * at most `maxRows` data rows (reading stops at the first row past it), `maxCells` cells and
 * `maxChars` characters of text (shared strings included), so a small file that expands to a huge
 * sheet (a zip bomb) is refused early. Only the five roster columns are kept. Runs inside the
 * roster worker (roster-worker.ts); anything it cannot bound here (one giant cell, a hostile
 * styles part) is bounded by the worker's heap limit and time limit.
 */
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { parse as csvParse } from 'csv-parse';
import { AppError } from '../../../common/errors.ts';
import { rowChecker, type RosterError, type RosterRow } from '../../../common/roster.ts';

export interface ReadLimits {
  maxRows: number;
  maxCells: number;
  maxChars: number;
}
export type ReadFailure = 'ROSTER_TOO_MANY_ROWS' | 'ROSTER_TOO_COMPLEX' | 'ROSTER_UNREADABLE';

/** A coded refusal (an AppError, so the worker can pass its code, message and details on as they are). */
const refusal = (code: ReadFailure, message?: string, details?: unknown) => new AppError(code, message || undefined, details);

export interface RosterCheck {
  rows: RosterRow[];
  errors: RosterError[];
  /** Non-blank data rows. */
  total: number;
}

export const tooManyRows = (max: number) => refusal('ROSTER_TOO_MANY_ROWS', `一次最多导入 ${max} 行，请分批上传。`, { max });
const tooComplex = () =>
  refusal('ROSTER_TOO_COMPLEX', '花名册文件过于复杂（单元格或文字过多），无法读取；请只保留增减员所需的五列，或另存为 CSV 后分批上传。');

/**
 * Checks rows as they are read (header = line 1), keeping only the rows that pass and the errors:
 * the file's cells are never held whole.
 */
class Collector {
  private checker: ReturnType<typeof rowChecker> | null = null;
  private headerErrors: RosterError[] = [];
  private seenRows = 0;
  private cells = 0;
  private chars = 0;
  private readonly limits: ReadLimits;
  private readonly today: string;
  constructor(limits: ReadLimits, today: string) {
    this.limits = limits;
    this.today = today;
  }
  get started(): boolean {
    return this.checker !== null || this.headerErrors.length > 0;
  }
  countChars(n: number): void {
    this.chars += n;
    if (this.chars > this.limits.maxChars) throw tooComplex();
  }
  countCells(n: number): void {
    this.cells += n;
    if (this.cells > this.limits.maxCells) throw tooComplex();
    // Rows without cells cost little each, but not nothing: a sheet of millions of them is refused too.
    if (++this.seenRows > 2 * this.limits.maxRows + 1000) throw tooComplex();
  }
  /** The header row; false when it is wrong (reading can stop: only the header's errors are reported). */
  header(cells: readonly string[]): boolean {
    const c = rowChecker(cells, this.today);
    if (c.headerErrors.length) {
      this.headerErrors = c.headerErrors;
      return false;
    }
    this.checker = c;
    return true;
  }
  /** A data row at `line` (1-based, the header is line 1). Blank rows do not count towards the cap. */
  row(line: number, cells: readonly string[]): void {
    if (cells.every((v) => !v.trim())) return;
    if (line - 1 > this.limits.maxRows) throw tooManyRows(this.limits.maxRows);
    this.checker!.check(line, cells);
  }
  result(): RosterCheck {
    if (this.headerErrors.length) return { rows: [], errors: this.headerErrors, total: 0 };
    if (!this.checker) return { rows: [], errors: [{ line: 1, column: '', message: '文件是空的。' }], total: 0 };
    return { rows: this.checker.rows, errors: this.checker.errors, total: this.checker.total };
  }
}

// ---------- CSV ----------

/** CSV (UTF-8, or GB18030 from Excel): csv-parse as a stream over the decoded text, in chunks. */
export async function readCsv(bytes: Uint8Array, limits: ReadLimits, today: string): Promise<RosterCheck> {
  const decoder = new TextDecoder(isUtf8(bytes) ? 'utf-8' : 'gb18030'); // Excel's default CSV encoding in China
  const c = new Collector(limits, today);
  const CHUNK = 64 * 1024;
  const text = Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += CHUNK) yield decoder.decode(bytes.subarray(i, i + CHUNK), { stream: true });
      const rest = decoder.decode();
      if (rest) yield rest;
    })(),
  );
  const parser = csvParse({ bom: true, relax_column_count: true, skip_empty_lines: false, max_record_size: 100_000 });
  text.pipe(parser);
  let line = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      line++;
      c.countCells(record.length);
      for (const v of record) c.countChars(v.length);
      if (line === 1) {
        if (!c.header(record)) break;
        continue;
      }
      c.row(line, record);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw refusal('ROSTER_UNREADABLE', `CSV 文件格式有误：${(e as Error).message}`);
  } finally {
    text.destroy();
    parser.destroy();
  }
  return c.result();
}

// ---------- XLSX ----------

interface ZipEntry {
  name: string;
  start: number;
  end: number;
  uncompressed: number;
}

/**
 * The ZIP's entries from its central directory, each as the byte range of its local record. A
 * truncated or damaged file (no end record, offsets outside the file) is unreadable.
 */
function zipEntries(buf: Buffer): { entries: ZipEntry[]; tail: Buffer } {
  const bad = () => refusal('ROSTER_UNREADABLE', '');
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--)
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw bad();
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (cdOffset + cdSize > eocd || count === 0xffff) throw bad();
  const raw: { name: string; offset: number; uncompressed: number }[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== 0x02014b50) throw bad();
    const uncompressed = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const offset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (offset + 30 > cdOffset || buf.readUInt32LE(offset) !== 0x04034b50) throw bad();
    raw.push({ name, offset, uncompressed });
    p += 46 + nameLen + extraLen + commentLen;
  }
  const sorted = [...raw].sort((a, b) => a.offset - b.offset);
  const entries = sorted.map((e, i) => ({
    name: e.name,
    start: e.offset,
    end: i + 1 < sorted.length ? sorted[i + 1]!.offset : cdOffset,
    uncompressed: e.uncompressed,
  }));
  return { entries, tail: buf.subarray(cdOffset) };
}

/**
 * The parts exceljs's streaming reader needs, in the order it needs them: relations, workbook,
 * styles (dates), shared strings, then the first worksheet only. In a file's own order the
 * worksheet usually comes before the shared strings, and the reader would then spool the whole
 * inflated sheet to a temporary file first. Other parts are dropped unread.
 */
function orderedParts(buf: Buffer, limits: ReadLimits): Buffer[] {
  const { entries, tail } = zipEntries(buf);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const sheets = entries
    .map((e) => ({ e, m: /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(e.name) }))
    .filter((x) => x.m)
    .sort((a, b) => Number(a.m![1]) - Number(b.m![1]));
  if (!sheets.length) throw refusal('ROSTER_UNREADABLE', '');
  // Declared sizes can lie (the caps while reading still hold), but an honest bomb stops here.
  const styles = byName.get('xl/styles.xml');
  if (styles && styles.uncompressed > 16 * 1024 * 1024) throw tooComplex();
  const shared = byName.get('xl/sharedStrings.xml');
  if (shared && shared.uncompressed > limits.maxChars * 8) throw tooComplex();
  const parts = ['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/styles.xml', 'xl/sharedStrings.xml']
    .map((n) => byName.get(n))
    .filter((e): e is ZipEntry => !!e);
  parts.push(sheets[0]!.e);
  return [...parts.map((e) => buf.subarray(e.start, e.end)), tail];
}

type CellValue = unknown;
function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v !== 'object') return String(v);
  const o = v as { text?: unknown; richText?: { text?: string }[]; result?: unknown; error?: unknown };
  if (Array.isArray(o.richText)) return o.richText.map((r) => r.text ?? '').join('');
  if ('text' in o) return cellText(o.text);
  if ('result' in o) return cellText(o.result);
  return '';
}
const textLength = (v: CellValue): number => (typeof v === 'string' ? v.length : v && typeof v === 'object' ? JSON.stringify(v).length : 0);

export async function readXlsx(bytes: Uint8Array, limits: ReadLimits, today: string, fileName = ''): Promise<RosterCheck> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const c = new Collector(limits, today);
  let parts: Buffer[];
  try {
    parts = orderedParts(buf, limits);
  } catch (e) {
    if (e instanceof AppError && e.code !== 'ROSTER_UNREADABLE') throw e;
    throw unreadableXlsx(fileName);
  }
  const { default: ExcelJS } = await import('exceljs');
  const input = Readable.from(parts);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  // The reader's shared-string cache, counted as it fills (a cap on the characters it may hold),
  // and present from the start so no worksheet is ever spooled to a temporary file.
  const strings: unknown[] = [];
  const push = strings.push.bind(strings);
  strings.push = (...items: unknown[]) => {
    for (const it of items) c.countChars(textLength(it) + 1);
    return push(...items);
  };
  const r = reader as unknown as { sharedStrings: unknown; workbookRels: unknown };
  Object.defineProperty(r, 'sharedStrings', { get: () => strings, set: () => {}, configurable: true });
  r.workbookRels = [];
  try {
    for await (const ws of reader) {
      for await (const row of ws) {
        const line = row.number;
        const values = row.values as CellValue[]; // 1-based, sparse
        c.countCells(values.length);
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) {
          const t = cellText(values[i]);
          c.countChars(t.length);
          cells.push(t);
        }
        if (!c.started) {
          if (!c.header(line === 1 ? cells : [])) break;
          if (line === 1) continue;
        }
        c.row(line, cells);
      }
      break; // the first worksheet only
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw unreadableXlsx(fileName);
  } finally {
    input.destroy();
  }
  return c.result();
}

const unreadableXlsx = (fileName: string) =>
  refusal('ROSTER_UNREADABLE', `无法读取 Excel 文件“${fileName.slice(-120)}”，请另存为 .xlsx 或 CSV 后重试。`);

/** A roster file (XLSX by its ZIP magic bytes, else CSV), checked row by row (common/roster.ts). */
export async function readRoster(bytes: Uint8Array, fileName: string, limits: ReadLimits, today: string): Promise<RosterCheck> {
  const isXlsx = bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b; // ZIP container
  return isXlsx ? readXlsx(bytes, limits, today, fileName) : readCsv(bytes, limits, today);
}
