/**
 * The written notices of case handling (文书: 受理回执, 补正材料通知书, 容缺受理通知书, 不予受理通知书,
 * 办结通知书 …) as A4 PDFs in the layout of a Chinese government notice: the agency name in red
 * over a red double rule, the title, 办件编号 and 文书编号, the addressee, the body, then the
 * optional materials table (header repeated on every page), reasons, deadline, appeal route
 * and contact; at the end the issuing agency and the date in Chinese numerals under a red round
 * seal, and on the left a QR code to the verification page with the 验证码. A 容缺受理承诺书
 * (pledge) follows on its own page when the data carries one. Uses the shared pdfkit layout of
 * `platform/pdf.ts` (CJK line breaking, font subsets).
 */
import type { NoticeKind } from '../../../common/workflow.ts';
import { CW, Layout, ML, MR, MUTED, PAGE_H, PAGE_W, TOP, openPdf, type Doc, type Run, type Style, type Table } from '../../platform/pdf.ts';

/** A transition's notice, or the result document. */
export type DocumentKind = NoticeKind | 'result';

export interface NoticeData {
  kind: DocumentKind;
  /** 受理回执 / 补正材料通知书 / 容缺受理通知书 / 不予受理通知书 / 办结通知书 … */
  title: string;
  /** Issuing agency, e.g. 大冶市医疗保障事务中心: the red title line, the signature and the seal's arc. */
  agencyName: string;
  /** The small horizontal text under the seal's star (default 业务专用章). */
  sealText?: string;
  caseNo: string;
  docNo: string;
  applicantName: string;
  itemName: string;
  /** YYYY-MM-DD; printed as 二〇二六年十一月二十四日. */
  issuedOn: string;
  paragraphs: string[];
  materials?: { name: string; form?: string; count?: string; note?: string }[];
  /** Heading over the materials table (default 材料清单). */
  materialsTitle?: string;
  reasons?: { code?: string; text: string }[];
  /** e.g. { label: '补正期限', date: '2026-12-08' }. */
  deadline?: { label: string; date: string; provisional?: boolean };
  /** The appeal route paragraph (行政复议 / 行政诉讼), as the caller words it. */
  appeal?: string;
  /** 容缺受理承诺书: a second page with the pledge text, the missing materials, the deadline and signature lines. */
  pledge?: { text: string; materials: string[]; deadline: string; provisional?: boolean };
  verify: { code: string; url: string };
  /** Contact line, e.g. 联系电话：0714-8722345（工作日 8:30—17:30）. */
  contact?: string;
}

export interface NoticeOptions {
  /** Time printed as 生成时间 (default now). */
  now?: Date;
}

// ───────────────────────────── dates ─────────────────────────────

const DIGITS = '〇一二三四五六七八九';

function smallNumber(n: number): string {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  return (tens === 1 ? '' : DIGITS[tens]!) + '十' + (n % 10 ? DIGITS[n % 10]! : '');
}

/** '2026-11-24' → '二〇二六年十一月二十四日' (the date style of official documents). Other input is returned as is. */
export function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return iso;
  return `${Array.from(y, (c) => DIGITS[Number(c)]).join('')}年${smallNumber(month)}月${smallNumber(day)}日`;
}

/** '2026-12-08' → '2026年12月8日' (dates in running text). Other input is returned as is. */
export function textDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

/** What follows a provisional date (a year whose holiday notice is not yet published). */
export const PROVISIONAL_NOTE = '（以国务院公布的放假安排为准）';

/** A deadline as printed: "预计 2027年1月25日（以国务院公布的放假安排为准）" when it rests on a provisional year. */
export function deadlineText(iso: string, provisional?: boolean): string {
  return provisional ? `预计${textDate(iso)}${PROVISIONAL_NOTE}` : textDate(iso);
}

/** 'YYYY-MM-DD HH:mm' in China Standard Time. */
function stamp(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

// ───────────────────────────── look ─────────────────────────────

const RED = '#c8161d';
const SEAL_RED = '#e60012';
const INK = '#111111';
const RULE = '#555555';

const BODY: Style = { size: 12, lh: 12 * 1.8 };
const SMALL: Style = { size: 9, lh: 13, color: MUTED };
const INDENT = '\u3000\u3000';

const SEAL_R = 56.7; // 4 cm across
const QR_SIZE = 80; // 2.8 cm

const REASONS_TITLE: Record<DocumentKind, string> = {
  receipt: '说明',
  correction: '需要补正的原因',
  tolerance: '容缺事项说明',
  refusal: '不予受理的理由',
  completion: '说明',
  result: '办理结果说明',
};

// ───────────────────────────── seal ─────────────────────────────

interface GlyphFont {
  unitsPerEm: number;
  layout(s: string): { glyphs: { advanceWidth: number; path: { toSVG(): string } }[] };
}

/** The fontkit face behind a registered pdfkit font, to draw glyphs as outlines. */
function glyphFont(doc: Doc, name: string): GlyphFont | undefined {
  doc.font(name);
  const f = (doc as unknown as { _font?: { font?: GlyphFont } })._font?.font;
  return f && typeof f.layout === 'function' && f.unitsPerEm ? f : undefined;
}

/**
 * Draw `s` as filled outlines: centred on (x, y) horizontally with its baseline at y, rotated
 * by `deg` (clockwise) about that point. Outlines keep the seal a picture: its letters do not
 * mix with the date under it when the text is extracted.
 */
function outlineText(doc: Doc, font: GlyphFont | undefined, s: string, size: number, x: number, y: number, deg: number, color: string, sx = 1) {
  doc.save();
  doc.translate(x, y).rotate(deg).scale(sx, 1);
  if (font) {
    const k = size / font.unitsPerEm;
    const run = font.layout(s);
    const width = run.glyphs.reduce((a, g) => a + g.advanceWidth, 0);
    let pen = -width / 2;
    for (const g of run.glyphs) {
      const svg = g.path.toSVG();
      if (svg) {
        doc.save();
        doc.transform(k, 0, 0, -k, pen * k, 0);
        doc.path(svg).fillColor(color).fill('nonzero');
        doc.restore();
      }
      pen += g.advanceWidth;
    }
  } else {
    doc.fontSize(size).fillColor(color);
    const w = doc.widthOfString(s);
    doc.text(s, -w / 2, -size * 0.88, { lineBreak: false });
  }
  doc.restore();
}

/** A red round seal centred on (cx, cy): ring, star, the agency name along the upper arc, a line under the star. */
function drawSeal(doc: Doc, cx: number, cy: number, name: string, under: string, fakeBold: boolean) {
  const font = glyphFont(doc, fakeBold ? 'R' : 'B');
  doc.save();
  doc.fillOpacity(0.88).strokeOpacity(0.88);
  doc
    .circle(cx, cy, SEAL_R - 1.6)
    .lineWidth(3.2)
    .strokeColor(SEAL_RED)
    .stroke();

  // Five-pointed star.
  const outer = SEAL_R * 0.33;
  const inner = outer * 0.382;
  const pts: [number, number][] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const r = i % 2 ? inner : outer;
    pts.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  doc
    .polygon(...pts)
    .fillColor(SEAL_RED)
    .fill();

  // The name along the upper arc, each character upright towards the rim.
  const chars = Array.from(name);
  const n = chars.length;
  // Degrees from the first to the last character's centre: up to 230°, so the ends stay above
  // the line under the star; long names get narrower (condensed) characters, as seals have.
  const span = Math.min(230, Math.max(100, (n - 1) * 24));
  const step = n > 1 ? span / (n - 1) : 0;
  const top = SEAL_R - 6.5; // glyph tops just inside the ring
  const size = n > 16 ? 12 : 15;
  const base = top - size * 0.88;
  const arc = ((base + size * 0.3) * step * Math.PI) / 180; // room per character at mid-height
  const sx = n > 1 ? Math.max(0.45, Math.min(1, (arc * 0.92) / size)) : 1;
  chars.forEach((ch, i) => {
    const deg = -90 - span / 2 + i * step;
    const a = (deg * Math.PI) / 180;
    outlineText(doc, font, ch, size, cx + base * Math.cos(a), cy + base * Math.sin(a), deg + 90, SEAL_RED, sx);
  });

  if (under) {
    const us = Math.min(9.5, (SEAL_R * 1.05) / Math.max(1, Array.from(under).length));
    outlineText(doc, font, under, us, cx, cy + outer + us + 5, 0, SEAL_RED);
  }
  doc.restore();
}

// ───────────────────────────── notice ─────────────────────────────

function drawHead(L: Layout, d: NoticeData) {
  const doc = L.doc;
  L.y = TOP - 14;
  L.para([{ t: d.agencyName, b: true }], { size: 22, lh: 34, color: RED, align: 'center', after: 6 });
  doc
    .moveTo(ML, L.y)
    .lineTo(PAGE_W - MR, L.y)
    .lineWidth(2.2)
    .strokeColor(RED)
    .stroke();
  doc
    .moveTo(ML, L.y + 4)
    .lineTo(PAGE_W - MR, L.y + 4)
    .lineWidth(0.7)
    .strokeColor(RED)
    .stroke();
  L.y += 22;
  L.para([{ t: d.title, b: true }], { size: 20, lh: 32, color: INK, align: 'center', after: 8 });
  // 办件编号 on the left, 文书编号 on the right.
  const st: Style = { size: 10, lh: 16, color: MUTED };
  const left = L.wrap([{ t: `办件编号：${d.caseNo}` }], CW / 2, st);
  const right = L.wrap([{ t: `文书编号：${d.docNo}` }], CW / 2, st);
  const rows = Math.max(left.length, right.length);
  left.forEach((l, i) => L.drawLine(l, ML, L.y + i * st.lh, CW / 2, st, 'left'));
  right.forEach((l, i) => L.drawLine(l, ML + CW / 2, L.y + i * st.lh, CW / 2, st, 'right'));
  L.y += rows * st.lh + 14;
}

function heading(L: Layout, text: string) {
  L.y += 4;
  L.ensure(BODY.lh * 3);
  L.para([{ t: text, b: true }], { ...BODY, color: INK });
}

function materialsTable(d: NoticeData): Table {
  const ms = d.materials ?? [];
  const cols: Table['cols'] = [
    { header: '序号', align: 'center' },
    { header: '材料名称', align: 'left' },
  ];
  const has = { form: ms.some((m) => m.form), count: ms.some((m) => m.count), note: ms.some((m) => m.note) };
  if (has.form) cols.push({ header: '原件/复印件', align: 'center' });
  if (has.count) cols.push({ header: '份数', align: 'center' });
  if (has.note) cols.push({ header: '备注', align: 'left' });
  const rows = ms.map((m, i) => {
    const r = [String(i + 1), m.name];
    if (has.form) r.push(m.form ?? '');
    if (has.count) r.push(m.count ?? '');
    if (has.note) r.push(m.note ?? '');
    return r;
  });
  return { cols, rows };
}

/** The signature block: QR code and 验证码 on the left, agency, date and seal on the right. */
function drawSignature(L: Layout, d: NoticeData, qr: Buffer, fakeBold: boolean) {
  const doc = L.doc;
  const qrTextW = Math.min(CW * 0.5, 230);
  const urlLines = L.wrap([{ t: `扫码或访问 ${d.verify.url} 核验真伪` }], qrTextW, SMALL).length;
  const qrBlock = QR_SIZE + 8 + (1 + urlLines) * SMALL.lh;
  const height = Math.max(SEAL_R * 2 + 12, qrBlock) + 6;
  L.y += 26;
  L.ensure(height);
  const top = L.y;

  // Right: date right-aligned four characters in, the agency centred over it, the seal over both.
  const sig: Style = { size: 13, lh: 24, color: INK };
  const dateRuns: Run[] = [{ t: chineseDate(d.issuedOn) }];
  const dateLine = L.wrap(dateRuns, CW, sig)[0]!;
  const nameLine = L.wrap([{ t: d.agencyName }], CW, sig)[0]!;
  const right = PAGE_W - MR - sig.size * 2;
  const centre = Math.min(right - dateLine.width / 2, PAGE_W - MR - nameLine.width / 2);
  const nameY = top + SEAL_R - 22;
  L.drawLine(nameLine, centre - nameLine.width / 2, nameY, nameLine.width, sig, 'left');
  L.drawLine(dateLine, centre - dateLine.width / 2, nameY + sig.lh + 4, dateLine.width, sig, 'left');
  drawSeal(doc, centre, top + SEAL_R, d.agencyName, d.sealText ?? '业务专用章', fakeBold);

  // Left: the QR code and how to verify.
  const qy = top + 4;
  doc.image(qr, ML, qy, { width: QR_SIZE, height: QR_SIZE });
  L.y = qy + QR_SIZE + 6;
  L.para([{ t: `验证码：${d.verify.code}` }], { ...SMALL, color: INK, x: ML, width: qrTextW, align: 'left' });
  L.para([{ t: `扫码或访问 ${d.verify.url} 核验真伪` }], { ...SMALL, x: ML, width: qrTextW, align: 'left' });
  L.y = Math.max(L.y, top + height);
}

function drawPledge(L: Layout, d: NoticeData, p: NonNullable<NoticeData['pledge']>) {
  L.newPage();
  L.y = TOP;
  L.para([{ t: '容缺受理承诺书', b: true }], { size: 20, lh: 32, color: INK, align: 'center', after: 6 });
  L.para([{ t: `办件编号：${d.caseNo}　　办理事项：${d.itemName}` }], { size: 10, lh: 16, color: MUTED, align: 'center', after: 16 });
  L.para([{ t: `${d.agencyName}：` }], { ...BODY, align: 'left' });
  for (const t of p.text.split(/\n+/).filter((s) => s.trim())) L.para([{ t: INDENT + t.trim() }], BODY);
  heading(L, '容缺材料：');
  L.list(
    p.materials.map((m) => [{ t: m }]),
    (n) => `${n}.`,
    { ...BODY, x: ML + BODY.size * 2 },
  );
  L.y += 4;
  L.para([{ t: '承诺补正期限：', b: true }, { t: p.provisional ? `${deadlineText(p.deadline, true)}前` : `${textDate(p.deadline)}前` }], {
    ...BODY,
    align: 'left',
  });
  L.y += 40;
  L.ensure(BODY.lh * 4);
  const sig: Style = { ...BODY, size: 13, lh: 30 };
  const x = ML + CW * 0.42;
  L.para([{ t: '承诺人（签字）：__________________' }], { ...sig, x, align: 'left' });
  L.para([{ t: '身份证件号码：__________________' }], { ...sig, x, align: 'left' });
  L.para([{ t: '日期：______年____月____日' }], { ...sig, x, align: 'left' });
}

/** Running header on continuation pages and the small-print footer on all. */
function drawPageFurniture(L: Layout, d: NoticeData, firstPledgePage: number | undefined, now: Date) {
  const doc = L.doc;
  const range = doc.bufferedPageRange();
  const total = range.count;
  for (let i = range.start; i < range.start + total; i++) {
    doc.switchToPage(i);
    if (i > 0 && i !== firstPledgePage) {
      const title = i > (firstPledgePage ?? Infinity) ? '容缺受理承诺书（续页）' : `${d.title}（续页）`;
      const l = L.wrap([{ t: title }], CW / 2, SMALL)[0]!;
      const r = L.wrap([{ t: `文书编号：${d.docNo}` }], CW / 2, SMALL)[0]!;
      L.drawLine(l, ML, 36, CW / 2, SMALL, 'left');
      L.drawLine(r, ML + CW / 2, 36, CW / 2, SMALL, 'right');
      doc
        .moveTo(ML, 52)
        .lineTo(PAGE_W - MR, 52)
        .lineWidth(0.5)
        .strokeColor(RED)
        .stroke();
    }
    const fy = PAGE_H - 44;
    doc
      .moveTo(ML, fy - 6)
      .lineTo(PAGE_W - MR, fy - 6)
      .lineWidth(0.4)
      .strokeColor('#b8b8b8')
      .stroke();
    const left = L.wrap([{ t: `生成时间：${stamp(now)}　办件编号：${d.caseNo}` }], CW * 0.75, SMALL)[0]!;
    L.drawLine(left, ML, fy, CW * 0.75, SMALL, 'left');
    // "第 x 页 / 共 y 页" in pieces so the spaces survive text extraction.
    const pieces = ['第', String(i + 1), '页', '/', '共', String(total), '页'].map((t) => L.wrap([{ t }], CW, SMALL)[0]!);
    const gap = SMALL.size * 0.3;
    let x = PAGE_W - MR - pieces.reduce((a, l) => a + l.width, 0) - gap * (pieces.length - 1);
    for (const l of pieces) {
      L.drawLine(l, x, fy, l.width, SMALL, 'left');
      x += l.width + gap;
    }
  }
}

/**
 * The notice as an A4 PDF. Needs a CJK font (`fonts.regular`, optionally `fonts.bold`); without
 * one it throws AppError FONT_UNAVAILABLE.
 */
export async function renderNotice(data: NoticeData, fonts: { regular?: string; bold?: string }, opts: NoticeOptions = {}): Promise<Buffer> {
  const d = data;
  const { doc, done, fakeBold } = await openPdf(fonts, {
    Title: `${d.title}（${d.caseNo}）`,
    Author: d.agencyName,
    Subject: `${d.itemName} ${d.title}`,
    Keywords: ['医疗保障', d.title, d.itemName, d.caseNo, d.docNo].join('; '),
  });
  const { default: QRCode } = await import('qrcode');
  const qr = await QRCode.toBuffer(d.verify.url, { type: 'png', margin: 1, width: 320, errorCorrectionLevel: 'M' });
  const L = new Layout(doc, fakeBold, { headFill: '#f0f0f0', rule: RULE });

  drawHead(L, d);
  L.para([{ t: `${d.applicantName}：`, b: true }], { ...BODY, align: 'left', after: 2 });
  for (const p of d.paragraphs) L.para([{ t: INDENT + p.trim() }], { ...BODY, after: 2 });

  if (d.materials?.length) {
    heading(L, d.materialsTitle ?? '材料清单');
    L.y += 2;
    L.table(materialsTable(d), false);
  }
  if (d.reasons?.length) {
    heading(L, `${REASONS_TITLE[d.kind]}：`);
    L.list(
      d.reasons.map((r) => (r.code ? [{ t: `〔${r.code}〕`, muted: true }, { t: r.text }] : [{ t: r.text }])),
      (n) => `${n}.`,
      { ...BODY, x: ML + BODY.size * 2, after: 2 },
    );
  }
  if (d.deadline) {
    L.y += 4;
    L.para([{ t: INDENT }, { t: `${d.deadline.label}：`, b: true }, { t: deadlineText(d.deadline.date, d.deadline.provisional), b: true }], {
      ...BODY,
      align: 'left',
      after: 2,
    });
  }
  if (d.appeal) L.para([{ t: INDENT + d.appeal.trim() }], { ...BODY, after: 2 });
  if (d.contact) L.para([{ t: INDENT + d.contact.trim() }], { ...BODY, after: 2 });

  drawSignature(L, d, qr, fakeBold);

  let pledgePage: number | undefined;
  if (d.pledge) {
    pledgePage = L.page + 1;
    drawPledge(L, d, d.pledge);
  }
  drawPageFurniture(L, d, pledgePage, opts.now ?? new Date());
  doc.end();
  return done;
}
