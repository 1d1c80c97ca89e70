/**
 * Shared pdfkit machinery for the generated documents (guide booklet, case notices): CJK font
 * loading (a face picked out of a .ttc collection, embedded as a subset), A4 page geometry and
 * `Layout`, which does its own line breaking (CJK: any character, with 避头尾 rules; ASCII words
 * kept whole), paragraphs without orphans or widows, lists, and tables that repeat their header
 * on every page. No domain imports: callers pass plain runs and tables.
 */
import { existsSync, openSync, readSync, closeSync, readFileSync, statSync } from 'node:fs';
import type PDFDocument from 'pdfkit';
import type * as Fontkit from 'fontkit';
import { AppError } from '../../common/errors.ts';

export type Doc = InstanceType<typeof PDFDocument>;

/** A piece of inline text. `href` only for http(s) links; `muted` for secondary remarks. */
export interface Run {
  t: string;
  b?: boolean;
  href?: string;
  muted?: boolean;
}

export interface Table {
  cols: { header: string; align?: 'left' | 'center' }[];
  /** Cell text; "\n" is a line break. */
  rows: string[][];
  /** Merge consecutive equal cells of the first column. */
  spanFirst?: boolean;
  /** Anchors per row: `table(…, true)` adds a 页码 column from them. */
  refs?: (string | undefined)[];
}

// ───────────────────────────── fonts ─────────────────────────────

/** PostScript names of the faces in a TrueType/OpenType collection (nameID 6). */
function collectionFaces(file: string): string[] {
  const fd = openSync(file, 'r');
  try {
    const read = (pos: number, len: number) => {
      const buf = Buffer.alloc(len);
      readSync(fd, buf, 0, len, pos);
      return buf;
    };
    const head = read(0, 12);
    if (head.toString('latin1', 0, 4) !== 'ttcf') return [];
    const n = Math.min(head.readUInt32BE(8), 64);
    const offs = read(12, 4 * n);
    const names: string[] = [];
    for (let i = 0; i < n; i++) {
      const off = offs.readUInt32BE(4 * i);
      const numTables = read(off + 4, 2).readUInt16BE(0);
      const dir = read(off + 12, 16 * numTables);
      for (let j = 0; j < numTables; j++) {
        if (dir.toString('latin1', 16 * j, 16 * j + 4) !== 'name') continue;
        const tOff = dir.readUInt32BE(16 * j + 8);
        const tLen = dir.readUInt32BE(16 * j + 12);
        const tbl = read(tOff, Math.min(tLen, 1 << 20));
        const count = tbl.readUInt16BE(2);
        const strOff = tbl.readUInt16BE(4);
        let found = '';
        for (let r = 0; r < count && !found; r++) {
          const rec = 6 + 12 * r;
          const [platform, , , nameId, len, o] = [0, 2, 4, 6, 8, 10].map((d) => tbl.readUInt16BE(rec + d)) as [
            number,
            number,
            number,
            number,
            number,
            number,
          ];
          if (nameId !== 6) continue;
          const raw = tbl.subarray(strOff + o, strOff + o + len);
          if (platform === 3 || platform === 0) {
            let s = '';
            for (let c = 0; c + 1 < raw.length; c += 2) s += String.fromCharCode(raw.readUInt16BE(c));
            found = s;
          } else found = raw.toString('latin1');
        }
        if (found) names.push(found);
      }
    }
    return names;
  } finally {
    closeSync(fd);
  }
}

/** The face to use from a collection: Simplified Chinese first (Noto CJK: NotoSansCJKsc-*). */
function pickFace(file: string): string | undefined {
  const faces = collectionFaces(file);
  if (!faces.length) return undefined;
  return (
    faces.find((f) => /CJKsc-/i.test(f) && !/Mono/i.test(f)) ??
    faces.find((f) => /(?:^|[^a-z])(?:sc|SC|CN|GB|Hans)(?:[^a-z]|$)/.test(f) && !/Mono/i.test(f)) ??
    faces.find((f) => !/Mono/i.test(f)) ??
    faces[0]
  );
}

export interface LoadedFont {
  data: Buffer;
  face?: string;
  mtime: number;
  /** The parsed font, shared by every document: parsing a CJK collection per document cost ~100 ms of CPU. */
  font: Fontkit.Font;
}

/** pdfkit and fontkit are loaded on the first document, not at start-up (~0.4 s of it). */
let libs: Promise<{ PDFDocument: typeof PDFDocument; fontkit: typeof Fontkit }> | undefined;
function pdfLibs() {
  libs ??= Promise.all([import('pdfkit'), import('fontkit')]).then(([p, f]) => ({ PDFDocument: p.default, fontkit: f }));
  return libs;
}
const fontCache = new Map<string, LoadedFont>();

/** Font files are large (20 MB for a CJK collection): read and parse once per file and keep in memory. */
export async function loadFont(file: string): Promise<LoadedFont> {
  const mtime = statSync(file).mtimeMs;
  const hit = fontCache.get(file);
  if (hit && hit.mtime === mtime) return hit;
  const data = readFileSync(file);
  const face = pickFace(file);
  const { fontkit } = await pdfLibs();
  const loaded: LoadedFont = { data, face, mtime, font: fontkit.create(data, face) as Fontkit.Font };
  fontCache.set(file, loaded);
  return loaded;
}

// ───────────────────────────── page geometry ─────────────────────────────

export const PAGE_W = 595.28;
export const PAGE_H = 841.89;
export const ML = 62;
export const MR = 62;
export const TOP = 76;
export const BOTTOM = PAGE_H - 66;
export const CW = PAGE_W - ML - MR;

export const INK = '#1f2328';
export const MUTED = '#4b5058';
export const ACCENT = '#9f1c1f';
export const RULE = '#9a9da3';
export const HEAD_FILL = '#f5e9e9';
export const GROUP_FILL = '#fbf6f6';
export const LINK = '#0b4f9c';

export const BODY = 10.5;
export const BODY_LH = BODY * 1.72;
export const CELL = 9.5;
export const CELL_LH = CELL * 1.5;
export const PAD_X = 4.5;
export const PAD_Y = 4;

/** Characters that may not start a line, and ones that may not end it (避头尾). */
const NO_START = new Set('，。、；：？！）》」』”’〕】〉…—·%,.;:?!)]}～﹚﹜');
const NO_END = new Set('（《「『“‘〔【〈([{');

export type FontKey = 'R' | 'B';
export interface Unit {
  s: string;
  w: number;
  font: FontKey;
  href?: string;
  muted?: boolean;
  space?: boolean;
  br?: boolean;
}
export interface Line {
  units: Unit[];
  width: number;
  /** Broken because it was full (justify it), not at a paragraph end or "\n". */
  full: boolean;
}

export interface Style {
  size: number;
  lh: number;
  color?: string;
  bold?: boolean;
}

export class Layout {
  readonly doc: Doc;
  y = TOP;
  private widths = new Map<string, number>();
  private fakeBold: boolean;
  /** Page index where body numbering ("第 1 页") starts. */
  bodyStart = 0;
  readonly anchors = new Map<string, { page: number; y: number }>();
  /** Cells waiting for a page number: [anchor id, page index, x, y, w, h]. */
  readonly pageRefs: { id: string; page: number; x: number; y: number; w: number; h: number }[] = [];
  outlineStack: { level: number; node: PDFKit.PDFOutline }[] = [];

  /** Table colours: header fill, spanning-cell fill and cell rules. */
  readonly colors: { headFill: string; groupFill: string; rule: string };

  constructor(doc: Doc, fakeBold: boolean, colors: Partial<Layout['colors']> = {}) {
    this.doc = doc;
    this.fakeBold = fakeBold;
    this.colors = { headFill: HEAD_FILL, groupFill: GROUP_FILL, rule: RULE, ...colors };
  }

  get page(): number {
    return this.doc.bufferedPageRange().count - 1;
  }

  newPage() {
    this.doc.addPage();
    this.y = TOP;
  }

  /** Start a new page unless `h` more points fit on this one. */
  ensure(h: number) {
    if (this.y + h > BOTTOM && this.y > TOP + 0.5) this.newPage();
  }

  /** The registered font for a key: without a bold face, bold is drawn with the regular one. */
  face(font: FontKey): FontKey {
    return font === 'B' && this.fakeBold ? 'R' : font;
  }

  width(s: string, font: FontKey): number {
    const key = this.face(font) + s;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = this.doc.font(this.face(font)).fontSize(100).widthOfString(s) / 100;
      this.widths.set(key, w);
    }
    return w;
  }

  /** Split runs into measured units: ASCII words stay whole, everything else per character. */
  units(runs: Run[], style: Style): Unit[] {
    const out: Unit[] = [];
    for (const r of runs) {
      const font: FontKey = r.b || style.bold ? 'B' : 'R';
      for (const m of r.t.matchAll(/\n|[ \u3000\t]|@?[\x21-\x3f\x41-\x7e]+?(?:\/+|(?=@)|(?![\x21-\x7e]))|@|[\s\S]/gu)) {
        const s = m[0];
        if (s === '\n') out.push({ s: '', w: 0, font, br: true });
        else if (/^[ \u3000\t]$/.test(s))
          out.push({ s, w: this.width(s === '\t' ? ' ' : s, font) * style.size, font, space: true, href: r.href, muted: r.muted });
        else out.push({ s, w: this.width(s, font) * style.size, font, href: r.href, muted: r.muted });
      }
    }
    return out;
  }

  /** Greedy line breaking with 避头尾 and over-long ASCII words split by character. */
  wrap(runs: Run[], width: number, style: Style): Line[] {
    const lines: Line[] = [];
    let cur: Unit[] = [];
    let w = 0;
    const push = (full: boolean) => {
      while (cur.length && cur[cur.length - 1]!.space) w -= cur.pop()!.w;
      lines.push({ units: cur, width: w, full });
      cur = [];
      w = 0;
    };
    const queue = this.units(runs, style);
    for (let i = 0; i < queue.length; i++) {
      let u = queue[i]!;
      if (u.br) {
        push(false);
        continue;
      }
      // Spaces do not start a line, except ideographic ones opening a paragraph (首行缩进).
      if (u.space && !cur.length && !(u.s === '\u3000' && (i === 0 || queue[i - 1]!.br))) continue;
      if (u.w > width && u.s.length > 1) {
        // An ASCII word wider than the line: break it by character.
        const chars = Array.from(u.s).map((c) => ({ ...u, s: c, w: this.width(c, u.font) * style.size }));
        queue.splice(i, 1, ...chars);
        u = queue[i]!;
      }
      if (w + u.w <= width + 0.01 || !cur.length) {
        cur.push(u);
        w += u.w;
        continue;
      }
      // u does not fit. Keep closing punctuation with the previous character, and opening
      // punctuation with the next one.
      const carry: Unit[] = [];
      let head = u;
      while (NO_START.has(head.s) && cur.length > 1) carry.unshift((head = cur.pop()!));
      while (cur.length > 1 && NO_END.has(cur[cur.length - 1]!.s)) carry.unshift(cur.pop()!);
      w = cur.reduce((a, x) => a + x.w, 0);
      push(true);
      for (const c of carry)
        if (!(c.space && !cur.length)) {
          cur.push(c);
          w += c.w;
        }
      if (u.space && !cur.length) continue;
      cur.push(u);
      w += u.w;
    }
    if (cur.length || !lines.length) push(false);
    return lines;
  }

  /** Draw one line with its top at y. */
  drawLine(line: Line, x: number, y: number, width: number, style: Style, align: 'left' | 'center' | 'right' | 'justify') {
    const doc = this.doc;
    const glyphs = line.units.reduce((a, u) => a + Array.from(u.s).length, 0);
    let spacing = 0;
    let left = x;
    const extra = width - line.width;
    if (align === 'justify' && line.full && glyphs > 1 && extra > 0 && extra <= style.size * 2.2) spacing = extra / (glyphs - 1);
    else if (align === 'center') left = x + extra / 2;
    else if (align === 'right') left = x + extra;
    doc.fontSize(style.size);
    const asc = doc.font('R').currentLineHeight();
    const top = y + (style.lh - asc) / 2;
    // Merge units of the same look into segments.
    let i = 0;
    let cx = left;
    while (i < line.units.length) {
      const u0 = line.units[i]!;
      let s = '';
      let w = 0;
      let n = 0;
      let j = i;
      for (; j < line.units.length; j++) {
        const u = line.units[j]!;
        if (u.font !== u0.font || u.href !== u0.href || u.muted !== u0.muted) break;
        s += u.s;
        w += u.w;
        n += Array.from(u.s).length;
      }
      const segW = w + spacing * n;
      const color = u0.href ? LINK : u0.muted ? MUTED : (style.color ?? INK);
      const bold = u0.font === 'B';
      doc
        .font(bold && this.fakeBold ? 'R' : u0.font)
        .fontSize(style.size)
        .fillColor(color);
      if (bold && this.fakeBold) doc.lineWidth(style.size * 0.035).strokeColor(color);
      doc.text(s, cx, top, { lineBreak: false, characterSpacing: spacing, ...(bold && this.fakeBold ? { stroke: true, fill: true } : {}) });
      if (u0.href) {
        doc.link(cx, top, segW, asc, u0.href);
        doc
          .moveTo(cx, top + asc - 1.5)
          .lineTo(cx + w + spacing * (n - 1), top + asc - 1.5)
          .lineWidth(0.5)
          .strokeColor(LINK)
          .stroke();
      }
      cx += segW;
      i = j;
    }
  }

  /** A paragraph with page breaking (no single orphan or widow line). */
  para(runs: Run[], opt: Style & { x?: number; width?: number; align?: 'left' | 'center' | 'right' | 'justify'; after?: number }) {
    const x = opt.x ?? ML;
    const width = opt.width ?? CW - (x - ML);
    const lines = this.wrap(runs, width, opt);
    let i = 0;
    while (i < lines.length) {
      let fit = Math.floor((BOTTOM - this.y + 0.01) / opt.lh);
      const rest = lines.length - i;
      if (fit < rest) {
        if (fit <= 1 && rest >= 2 && this.y > TOP + 0.5)
          fit = 0; // orphan
        else if (rest - fit === 1 && fit >= 3) fit -= 1; // widow
      }
      if (fit <= 0) {
        this.newPage();
        continue;
      }
      const n = Math.min(fit, rest);
      for (let k = 0; k < n; k++) {
        this.drawLine(lines[i + k]!, x, this.y, width, opt, opt.align ?? 'justify');
        this.y += opt.lh;
      }
      i += n;
      if (i < lines.length) this.newPage();
    }
    this.y += opt.after ?? 0;
  }

  /** Numbered or plain list item: marker in a hanging indent. */
  /** `mark(n)` gives the marker of item n (1-based): "①", "1." …; without it there is none. */
  list(items: Run[][], mark: ((n: number) => string) | undefined, style: Style & { x?: number; after?: number; gap?: number }) {
    const x = style.x ?? ML;
    const marks = items.map((_, i) => (mark ? mark(i + 1) : ''));
    const mw = !mark ? 0 : Math.max(...marks.map((m) => this.width(m, 'R') * style.size)) + style.size * 0.3;
    items.forEach((runs, i) => {
      const lines = this.wrap(runs, CW - (x - ML) - mw, style);
      this.ensure(Math.min(lines.length, 2) * style.lh);
      if (marks[i]) this.drawLine({ units: this.units([{ t: marks[i]! }], style), width: 0, full: false }, x, this.y, mw, style, 'left');
      this.para(runs, { ...style, x: x + mw, after: i < items.length - 1 ? (style.gap ?? 0) : 0 });
    });
    this.y += style.after ?? 0;
  }

  /** The narrowest width that keeps the same number of lines: balanced lines for titles. */
  balancedWidth(runs: Run[], max: number, style: Style): number {
    const n = this.wrap(runs, max, style).length;
    if (n <= 1) return max;
    let lo = max / n;
    let hi = max;
    for (let i = 0; i < 14; i++) {
      const mid = (lo + hi) / 2;
      if (this.wrap(runs, mid, style).length <= n) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  anchor(id: string) {
    this.anchors.set(id, { page: this.page, y: this.y });
    this.doc.addNamedDestination(id, 'XYZ', ML, Math.max(0, this.y - 12), null as unknown as number);
  }

  outline(title: string, level: number) {
    while (this.outlineStack.length && this.outlineStack[this.outlineStack.length - 1]!.level >= level) this.outlineStack.pop();
    const parent = this.outlineStack.length ? this.outlineStack[this.outlineStack.length - 1]!.node : this.doc.outline;
    const node = parent.addItem(title, { expanded: level === 1 });
    this.outlineStack.push({ level, node });
  }

  // ───────────── tables ─────────────

  /**
   * Column widths the way browsers size an auto-layout table: every column at least as wide
   * as its longest unbreakable piece (and its header), the rest shared by how much longer
   * each column's text is. A table with little text is narrower than the page.
   */
  columnWidths(tb: Table, cols: Table['cols'], cell: Style, head: Style): number[] {
    const n = cols.length;
    const min = new Array<number>(n).fill(0);
    const max = new Array<number>(n).fill(0);
    const measure = (text: string, i: number, st: Style, headerCell: boolean) => {
      for (const line of text.split('\n')) {
        const us = this.units([{ t: line }], st);
        const full = us.reduce((a, u) => a + u.w, 0);
        const piece = Math.min(Math.max(0, ...us.filter((u) => !u.space).map((u) => u.w)), CW * 0.3);
        min[i] = Math.max(min[i]!, headerCell && full <= st.size * 6 ? full : piece);
        max[i] = Math.max(max[i]!, full);
      }
    };
    cols.forEach((c, i) => measure(c.header, i, head, true));
    tb.rows.forEach((r) => r.forEach((v, i) => measure(v, i, tb.spanFirst && i === 0 ? head : cell, false)));
    if (cols.length > tb.cols.length) {
      min[n - 1] = Math.max(min[n - 1]!, this.width('999', 'R') * cell.size);
      max[n - 1] = Math.max(max[n - 1]!, min[n - 1]!);
    }
    const pad = 2 * PAD_X + 1;
    const lo = min.map((w) => w + pad);
    const hi = max.map((w, i) => Math.max(w + pad, lo[i]!));
    const sumLo = lo.reduce((a, w) => a + w, 0);
    const sumHi = hi.reduce((a, w) => a + w, 0);
    if (sumHi <= CW) {
      const target = sumHi < CW * 0.6 && n <= 3 ? Math.min(CW, Math.max(sumHi * 1.3, CW * 0.6)) : CW;
      return hi.map((w) => w + ((target - sumHi) * w) / sumHi);
    }
    if (sumLo >= CW) return lo.map((w) => (w * CW) / sumLo);
    // Short columns (phones, e-mails, time limits) get their full width first when that
    // leaves at least half of the spare room to the long ones.
    const out = [...lo];
    let spare = CW - sumLo;
    const done = new Set<number>();
    const narrow = hi.map((w, i) => i).filter((i) => hi[i]! <= CW * 0.2 && hi[i]! > lo[i]!);
    for (const i of narrow.sort((a, c) => hi[a]! - lo[a]! - (hi[c]! - lo[c]!))) {
      const need = hi[i]! - lo[i]!;
      if (need > spare * 0.5) break;
      out[i] = hi[i]!;
      spare -= need;
      done.add(i);
    }
    const flex = hi.reduce((a, w, i) => a + (done.has(i) ? 0 : w - out[i]!), 0);
    return out.map((w, i) => (done.has(i) || flex <= 0 ? w : w + (spare * (hi[i]! - w)) / flex));
  }

  table(tb: Table, withPageCol: boolean) {
    const doc = this.doc;
    const cols = [...tb.cols];
    if (withPageCol && tb.refs) cols.push({ header: '页码', align: 'center' });
    const cellStyle: Style = { size: CELL, lh: CELL_LH };
    const headStyle: Style = { size: CELL, lh: CELL_LH, bold: true };
    const widths = this.columnWidths(tb, cols, cellStyle, headStyle);
    const tableW = widths.reduce((a, w) => a + w, 0);
    const xs = widths.map((_, i) => ML + widths.slice(0, i).reduce((a, w) => a + w, 0));
    const wrapCell = (s: string, i: number, st: Style) => this.wrap([{ t: s }], widths[i]! - 2 * PAD_X, st);
    const headLines = cols.map((c, i) => wrapCell(c.header, i, headStyle));
    const headH = Math.max(...headLines.map((l) => l.length)) * CELL_LH + 2 * PAD_Y;
    const fullAvail = BOTTOM - TOP - headH;
    const span = !!tb.spanFirst;
    const first = span ? 1 : 0;

    const rows = tb.rows.map((r, ri) => {
      const cells = r.map((v, i) => (i < first ? [] : wrapCell(v, i, cellStyle)));
      if (withPageCol && tb.refs) cells.push([]);
      return { cells, ref: tb.refs?.[ri], minH: 0 };
    });
    // Groups of the spanning first column; a group is at least as tall as its label.
    const groups: { label: string; from: number; to: number; lines: Line[] }[] = [];
    if (span) {
      for (let i = 0; i < tb.rows.length;) {
        let j = i;
        while (j < tb.rows.length && tb.rows[j]![0] === tb.rows[i]![0]) j++;
        groups.push({ label: tb.rows[i]![0]!, from: i, to: j, lines: wrapCell(tb.rows[i]![0]!, 0, headStyle) });
        i = j;
      }
      for (const g of groups) {
        const need = g.lines.length * CELL_LH + 2 * PAD_Y;
        const have = rows.slice(g.from, g.to).reduce((a, r) => a + Math.max(...r.cells.map((c) => c.length), 1) * CELL_LH + 2 * PAD_Y, 0);
        if (need > have) rows[g.to - 1]!.minH = Math.max(...rows[g.to - 1]!.cells.map((c) => c.length), 1) * CELL_LH + 2 * PAD_Y + (need - have);
      }
    }
    const rowH = (r: (typeof rows)[number]) => Math.max(Math.max(...r.cells.map((c) => c.length), 1) * CELL_LH + 2 * PAD_Y, r.minH);

    const drawHeader = () => {
      doc.rect(ML, this.y, tableW, headH).fillColor(this.colors.headFill).fill();
      cols.forEach((_, i) => {
        doc.rect(xs[i]!, this.y, widths[i]!, headH).lineWidth(0.6).strokeColor(this.colors.rule).stroke();
        const ls = headLines[i]!;
        const top = this.y + (headH - ls.length * CELL_LH) / 2;
        ls.forEach((l, k) => this.drawLine(l, xs[i]! + PAD_X, top + k * CELL_LH, widths[i]! - 2 * PAD_X, headStyle, 'center'));
      });
      this.y += headH;
    };

    // The spanning cell of the current group on the current page.
    let seg: { label: Line[]; y0: number } | null = null;
    const closeSeg = () => {
      if (!seg) return;
      const h = this.y - seg.y0;
      if (h > 0.5) {
        doc.rect(xs[0]!, seg.y0, widths[0]!, h).fillColor(this.colors.groupFill).fill();
        doc.rect(xs[0]!, seg.y0, widths[0]!, h).lineWidth(0.6).strokeColor(this.colors.rule).stroke();
        const need = seg.label.length * CELL_LH;
        const st = need <= h - 2 * PAD_Y ? headStyle : { ...headStyle, size: CELL * 0.8, lh: CELL_LH * 0.8 };
        const top = seg.y0 + Math.max(PAD_Y, (h - seg.label.length * st.lh) / 2);
        seg.label.forEach((l, k) => this.drawLine(l, xs[0]! + PAD_X, top + k * st.lh, widths[0]! - 2 * PAD_X, st, 'left'));
      }
      seg = null;
    };
    const breakPage = (g?: (typeof groups)[number]) => {
      closeSeg();
      this.newPage();
      drawHeader();
      if (g) seg = { label: g.lines, y0: this.y };
    };

    const firstH = rows.length ? rowH(rows[0]!) : 0;
    this.ensure(headH + Math.min(firstH, fullAvail));
    drawHeader();

    const drawChunk = (r: (typeof rows)[number], from: number, n: number, h: number) => {
      cols.forEach((c, i) => {
        if (i < first) return;
        doc.rect(xs[i]!, this.y, widths[i]!, h).lineWidth(0.6).strokeColor(this.colors.rule).stroke();
        const ls = r.cells[i]!.slice(from, from + n);
        const single = from === 0 && n >= r.cells[i]!.length;
        const top = single ? this.y + (h - ls.length * CELL_LH) / 2 : this.y + PAD_Y;
        ls.forEach((l, k) =>
          this.drawLine(l, xs[i]! + PAD_X, top + k * CELL_LH, widths[i]! - 2 * PAD_X, cellStyle, c.align === 'center' ? 'center' : 'left'),
        );
        if (i === cols.length - 1 && withPageCol && r.ref && from === 0)
          this.pageRefs.push({ id: r.ref, page: this.page, x: xs[i]!, y: this.y, w: widths[i]!, h });
      });
    };

    const drawRow = (r: (typeof rows)[number], g?: (typeof groups)[number]) => {
      let offset = 0;
      const maxLines = Math.max(...r.cells.map((c) => c.length), 1);
      for (;;) {
        const rest = maxLines - offset;
        const need = offset === 0 ? rowH(r) : rest * CELL_LH + 2 * PAD_Y;
        if (this.y + need <= BOTTOM + 0.01) {
          drawChunk(r, offset, rest, need);
          this.y += need;
          return;
        }
        if (offset === 0 && need <= fullAvail) {
          breakPage(g);
          continue;
        }
        const fit = Math.floor((BOTTOM - this.y - 2 * PAD_Y) / CELL_LH);
        if (fit < 2) {
          breakPage(g);
          continue;
        }
        drawChunk(r, offset, fit, fit * CELL_LH + 2 * PAD_Y);
        this.y += fit * CELL_LH + 2 * PAD_Y;
        offset += fit;
        breakPage(g);
      }
    };

    if (span) {
      for (const g of groups) {
        const gh = rows.slice(g.from, g.to).reduce((a, r) => a + rowH(r), 0);
        if (this.y + gh > BOTTOM && gh <= fullAvail * 0.6) breakPage();
        seg = { label: g.lines, y0: this.y };
        for (let i = g.from; i < g.to; i++) drawRow(rows[i]!, g);
        closeSeg();
      }
    } else for (const r of rows) drawRow(r);
    this.y += 10;
  }
}

// ───────────────────────────── document ─────────────────────────────

export interface OpenedPdf {
  doc: Doc;
  /** Resolves with the whole file once `doc.end()` has been called. */
  done: Promise<Buffer>;
  /** True when there is no bold face: bold is simulated by stroking the regular one. */
  fakeBold: boolean;
}

/**
 * A buffered A4 document with the CJK fonts registered as "R" (regular) and "B" (bold, when a
 * separate bold file is given). Throws AppError FONT_UNAVAILABLE without a usable regular font.
 */
export async function openPdf(fonts: { regular?: string; bold?: string }, info: PDFKit.DocumentInfo): Promise<OpenedPdf> {
  if (!fonts.regular || !existsSync(fonts.regular)) throw new AppError('FONT_UNAVAILABLE');
  let regular: LoadedFont;
  let bold: LoadedFont | undefined;
  try {
    regular = await loadFont(fonts.regular);
    bold = fonts.bold && fonts.bold !== fonts.regular && existsSync(fonts.bold) ? await loadFont(fonts.bold) : undefined;
  } catch {
    throw new AppError('FONT_UNAVAILABLE');
  }
  const { PDFDocument } = await pdfLibs();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: TOP, bottom: PAGE_H - BOTTOM, left: ML, right: MR },
    bufferPages: true,
    autoFirstPage: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Creator: '医保经办服务平台', ...info },
  } as PDFKit.PDFDocumentOptions);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    // PDFKit takes a parsed fontkit font as well as bytes; each document still embeds its own subset.
    doc.registerFont('R', regular.font as never);
    if (bold) doc.registerFont('B', bold.font as never);
    doc.font('R');
  } catch {
    throw new AppError('FONT_UNAVAILABLE');
  }
  return { doc, done, fakeBold: !bold };
}
