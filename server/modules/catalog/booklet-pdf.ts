/**
 * The agency guide booklet as an A4 PDF (pdfkit). Lays out the model of booklet.ts (as the HTML
 * booklet does) with its own line breaking (CJK: any character, with 避头尾 rules; ASCII words kept whole),
 * tables that repeat their header on every page, a table of contents with page numbers, a
 * running header and "第 N 页" footers. CJK glyphs are embedded as a subset.
 */
import type { AgencyDetail, ItemOut, OfficeOut } from '../../../common/api.ts';
import { buildBooklet, circled, tocEntries, type Block, type Booklet } from './booklet.ts';
import {
  ACCENT,
  BODY,
  BODY_LH,
  BOTTOM,
  CELL,
  CELL_LH,
  CW,
  HEAD_FILL,
  Layout,
  ML,
  MR,
  MUTED,
  PAD_X,
  PAGE_H,
  PAGE_W,
  TOP,
  openPdf,
  type Style,
} from '../../platform/pdf.ts';

// ───────────────────────────── booklet ─────────────────────────────

function drawCover(L: Layout, bk: Booklet) {
  const doc = L.doc;
  doc.rect(0, 0, PAGE_W, 14).fillColor(ACCENT).fill();
  doc
    .rect(0, PAGE_H - 14, PAGE_W, 14)
    .fillColor(ACCENT)
    .fill();
  const c = bk.cover;
  L.y = 120;
  if (c.slogans.length) {
    for (const s of c.slogans) L.para([{ t: s, b: true }], { size: 15, lh: 30, color: ACCENT, align: 'center' });
    L.y += 40;
  } else L.y = 190;
  if (c.issuer && c.issuer !== bk.agencyName) L.para([{ t: bk.agencyName, b: true }], { size: 17, lh: 30, color: MUTED, align: 'center', after: 10 });
  const titleStyle: Style = { size: bk.title.length > 16 ? 24 : 32, lh: bk.title.length > 16 ? 38 : 48, color: ACCENT };
  const titleRuns = [{ t: bk.title, b: true }];
  const tw = L.balancedWidth(titleRuns, CW - 20, titleStyle) + 1;
  L.para(titleRuns, { ...titleStyle, x: ML + (CW - tw) / 2, width: tw, align: 'center', after: 12 });
  doc
    .moveTo(ML + 40, L.y)
    .lineTo(PAGE_W - MR - 40, L.y)
    .lineWidth(2)
    .strokeColor(ACCENT)
    .stroke();
  doc
    .moveTo(ML + 40, L.y + 4)
    .lineTo(PAGE_W - MR - 40, L.y + 4)
    .lineWidth(0.6)
    .strokeColor(ACCENT)
    .stroke();
  L.y += 22;
  if (c.docNumber) L.para([{ t: c.docNumber }], { size: 13, lh: 24, align: 'center', after: 8 });
  if (c.intro.length) {
    L.y += 10;
    for (const s of c.intro)
      L.para([{ t: /[：:]$/.test(s) ? s : `\u3000\u3000${s}` }], { size: BODY, lh: BODY_LH, x: ML + 20, width: CW - 40, after: 2 });
  }
  L.y = Math.max(L.y + 30, PAGE_H - 190);
  L.para([{ t: c.issuer && c.issuer !== bk.agencyName ? c.issuer : bk.agencyName, b: true }], { size: 16, lh: 28, align: 'center' });
  if (c.date) L.para([{ t: c.date }], { size: 13, lh: 24, align: 'center' });
}

function drawPartTitle(L: Layout, text: string) {
  L.para([{ t: text, b: true }], { size: 18, lh: 30, color: ACCENT, align: 'center' });
  L.doc
    .moveTo(ML, L.y + 4)
    .lineTo(PAGE_W - MR, L.y + 4)
    .lineWidth(1.2)
    .strokeColor(ACCENT)
    .stroke();
  L.y += 20;
}

function drawBlocks(L: Layout, blocks: Block[], level: number) {
  const doc = L.doc;
  const body: Style = { size: BODY, lh: BODY_LH };
  blocks.forEach((x, bi) => {
    const prev = blocks[bi - 1];
    if (x.k === 'p' && x.align === 'right' && !(prev?.k === 'p' && prev.align === 'right')) L.y += 14;
    switch (x.k) {
      case 'h3': {
        L.y += 8;
        L.ensure(26 + 30 + 5 * BODY_LH);
        L.anchor(x.id);
        L.outline(x.text, level + 1);
        const lines = L.wrap([{ t: x.text, b: true }], CW - 18, { size: 13, lh: 22 });
        const h = lines.length * 22 + 6;
        doc.rect(ML, L.y, CW, h).fillColor(HEAD_FILL).fill();
        doc.rect(ML, L.y, 4, h).fillColor(ACCENT).fill();
        lines.forEach((l, i) => L.drawLine(l, ML + 12, L.y + 3 + i * 22, CW - 18, { size: 13, lh: 22 }, 'left'));
        L.y += h + 8;
        break;
      }
      case 'item': {
        L.y += 6;
        L.ensure(22 + 4 * BODY_LH);
        L.anchor(x.id);
        L.outline(x.title, level + 2);
        L.para([{ t: x.title, b: true }], { size: 12, lh: 22, after: 2 });
        drawBlocks(L, x.blocks, level + 2);
        L.y += 4;
        break;
      }
      case 'h':
        L.y += 2;
        L.ensure(BODY_LH * 3);
        L.para([{ t: x.text, b: true }], { ...body, color: ACCENT });
        break;
      case 'p':
        L.para(x.runs, { ...body, align: x.align === 'right' ? 'right' : 'justify', after: 1 });
        break;
      case 'note':
        L.para(x.runs, { size: 9.5, lh: 9.5 * 1.7, color: MUTED, after: 2 });
        break;
      case 'list':
        L.list(x.items, x.marker === 'circled' ? circled : x.marker === 'decimal' ? (n) => `${n}.` : undefined, {
          ...body,
          after: 2,
          gap: x.spaced ? 6 : 0,
        });
        break;
      case 'table':
        L.table(x.table, true);
        break;
    }
  });
}

/** The booklet as a PDF. Needs a CJK font: `fonts.regular` (and optionally `fonts.bold`). */
export async function renderBookletPdf(
  agency: AgencyDetail,
  items: ItemOut[],
  offices: OfficeOut[],
  fonts: { regular?: string; bold?: string },
): Promise<Buffer> {
  const bk = buildBooklet(agency, items, offices);
  const { doc, done, fakeBold } = await openPdf(fonts, {
    Title: `${bk.title}（${bk.agencyName}）`,
    Author: bk.agencyName,
    Subject: bk.subject,
    Keywords: ['医疗保障', '办事指南', bk.agencyName, ...agency.categories.map((c) => c.name)].join('; '),
  });
  const L = new Layout(doc, fakeBold);

  drawCover(L, bk);

  // Reserve the table of contents pages; fill them in once the page numbers are known.
  const toc = tocEntries(bk);
  const TOC_LH1 = 26;
  const TOC_LH2 = 21;
  const tocHeight = (es: typeof toc) => es.reduce((a, e) => a + (e.level === 1 ? TOC_LH1 + 4 : TOC_LH2), 0);
  const perPage = BOTTOM - TOP - 70;
  const tocPages = Math.max(1, Math.ceil(tocHeight(toc) / perPage));
  const tocStart = L.page + 1;
  for (let i = 0; i < tocPages; i++) L.newPage();
  L.bodyStart = L.page + 1;

  for (const pt of bk.parts) {
    L.newPage();
    L.anchor(pt.id);
    L.outline(pt.title, 1);
    drawPartTitle(L, pt.title);
    drawBlocks(L, pt.blocks, 1);
  }

  const range = doc.bufferedPageRange();
  const pageNo = (index: number) => index - L.bodyStart + 1;

  // Table of contents.
  {
    let page = tocStart;
    doc.switchToPage(page);
    L.y = TOP;
    L.outlineStack = [];
    const tocTitle = () => {
      L.para([{ t: '目\u3000录', b: true }], { size: 20, lh: 34, color: ACCENT, align: 'center', after: 22 });
    };
    tocTitle();
    for (const e of toc) {
      const lh = e.level === 1 ? TOC_LH1 : TOC_LH2;
      if (L.y + lh > BOTTOM && page + 1 < L.bodyStart) {
        doc.switchToPage(++page);
        L.y = TOP;
      }
      const a = L.anchors.get(e.id);
      const num = a ? String(pageNo(a.page)) : '';
      const size = e.level === 1 ? 12 : 10.5;
      const style: Style = { size, lh, bold: e.level === 1 };
      const x = e.level === 1 ? ML + 10 : ML + 34;
      const numW = 40;
      const lines = L.wrap([{ t: e.text, b: e.level === 1 }], PAGE_W - MR - 10 - numW - x, style);
      const line = lines[0]!;
      if (e.level === 1) L.y += 4;
      L.drawLine(line, x, L.y, line.width, style, 'left');
      // dotted leader
      const dotsFrom = x + line.width + 6;
      const dotsTo = PAGE_W - MR - 10 - numW + 6;
      doc.fontSize(size);
      const mid = L.y + lh / 2 + 1;
      for (let dx = dotsFrom; dx < dotsTo; dx += 4.5) doc.circle(dx, mid, 0.6).fillColor(MUTED).fill();
      L.drawLine(
        { units: L.units([{ t: num, b: e.level === 1 }], style), width: 0, full: false },
        PAGE_W - MR - 10 - numW,
        L.y,
        numW,
        style,
        'right',
      );
      doc.goTo(x, L.y, PAGE_W - MR - 10 - x, lh, e.id);
      L.y += lh;
    }
  }

  // 页码 column of the list of items.
  for (const r of L.pageRefs) {
    const a = L.anchors.get(r.id);
    if (!a) continue;
    doc.switchToPage(r.page);
    const st: Style = { size: CELL, lh: CELL_LH };
    L.drawLine(
      { units: L.units([{ t: String(pageNo(a.page)) }], st), width: 0, full: false },
      r.x + PAD_X,
      r.y + (r.h - CELL_LH) / 2,
      r.w - 2 * PAD_X,
      st,
      'center',
    );
    doc.goTo(r.x, r.y, r.w, r.h, r.id);
  }

  // Running header and footer.
  for (let i = range.start; i < range.start + range.count; i++) {
    if (i === 0) continue;
    doc.switchToPage(i);
    const st: Style = { size: 9, lh: 14, color: MUTED };
    const title = L.wrap([{ t: bk.title }], CW / 2, st)[0]!;
    const name = L.wrap([{ t: bk.agencyName }], CW / 2, st)[0]!;
    L.drawLine(name, ML, 40, CW / 2, st, 'left');
    L.drawLine(title, ML + CW / 2, 40, CW / 2, st, 'right');
    doc
      .moveTo(ML, 57)
      .lineTo(PAGE_W - MR, 57)
      .lineWidth(0.6)
      .strokeColor(ACCENT)
      .stroke();
    if (i >= L.bodyStart) {
      // "第 N 页", drawn in three pieces so the spaces survive text extraction.
      const fs: Style = { size: 9, lh: 14, color: MUTED };
      const pieces = ['第', String(pageNo(i)), '页'].map((t) => L.wrap([{ t }], CW, fs)[0]!);
      const gap = fs.size * 0.45;
      let x = ML + (CW - pieces.reduce((a, l) => a + l.width, 0) - 2 * gap) / 2;
      for (const l of pieces) {
        L.drawLine(l, x, PAGE_H - 46, l.width, fs, 'left');
        x += l.width + gap;
      }
    }
  }
  doc.end();
  return done;
}
