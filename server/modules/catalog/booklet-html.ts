/**
 * The agency guide booklet as a standalone, print-ready HTML page: `renderBookletHtml` prints the
 * model of `booklet.ts` (escaped text, tables whose headers carry their scope, print CSS for A4).
 */
import type { AgencyDetail, ItemOut, OfficeOut } from '../../../common/api.ts';
import { buildBooklet, circled, isUrl, tocEntries, type Block, type Run, type Table, type TocEntry } from './booklet.ts';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const esc = escapeHtml;
const lines = (s: string) => s.split('\n').map(esc).join('<br>');
/** Table cells: lines, with break opportunities inside e-mail addresses and URLs. */
const cellLines = (s: string) =>
  lines(s)
    .replace(/@/g, '<wbr>@')
    .replace(/(\/+)(?=[^/<\s])/g, '$1<wbr>')
    .replace(/\b\d{3,4}-\d{5,8}\b/g, '<span class="nw">$&</span>');

function runsHtml(runs: Run[]): string {
  return runs
    .map((r) => {
      let h = lines(r.t);
      if (r.href && isUrl(r.href)) h = `<a href="${esc(r.href)}" rel="noopener">${h}</a>`;
      if (r.b) h = `<strong>${h}</strong>`;
      if (r.muted) h = `<span class="muted">${h}</span>`;
      return h;
    })
    .join('');
}

function tableHtml(tb: Table): string {
  const colgroup = tb.cols.some((c) => c.width)
    ? `<colgroup>${tb.cols.map((c) => (c.width ? `<col style="width:${esc(c.width)}">` : '<col>')).join('')}</colgroup>`
    : '';
  const head = `${colgroup}<thead><tr>${tb.cols.map((c, i) => `<th scope="col" class="c${i}${c.align === 'center' ? ' center' : ''}">${esc(c.header)}</th>`).join('')}</tr></thead>`;
  const cell = (v: string, i: number) => `<td class="c${i}${tb.cols[i]?.align === 'center' ? ' center' : ''}">${cellLines(v)}</td>`;
  let body = '';
  if (tb.spanFirst) {
    let i = 0;
    while (i < tb.rows.length) {
      let j = i;
      while (j < tb.rows.length && tb.rows[j]![0] === tb.rows[i]![0]) j++;
      body += '<tbody>';
      for (let r = i; r < j; r++) {
        const row = tb.rows[r]!;
        const first = r === i ? `<th scope="rowgroup" rowspan="${j - i}" class="c0 group">${cellLines(row[0]!)}</th>` : '';
        body += `<tr>${first}${row
          .slice(1)
          .map((v, x) => cell(v, x + 1))
          .join('')}</tr>`;
      }
      body += '</tbody>';
      i = j;
    }
  } else {
    body = `<tbody>${tb.rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('')}</tbody>`;
  }
  return `<div class="table-wrap${tb.cols.length >= 5 ? ' wide' : ''}" role="region" aria-label="表格：${esc(tb.caption)}" tabindex="0"><table><caption>${esc(tb.caption)}</caption>${head}${body}</table></div>`;
}

function listHtml(items: Run[][], marker: 'circled' | 'decimal' | 'none', spaced?: boolean): string {
  if (marker === 'none') return items.map((r) => `<p${spaced ? ' class="spaced"' : ''}>${runsHtml(r)}</p>`).join('');
  const mk = (i: number) => (marker === 'circled' ? circled(i + 1) : `${i + 1}.`);
  return `<ol class="marked${spaced ? ' spaced' : ''}">${items.map((r, i) => `<li><span class="mk" aria-hidden="true">${mk(i)}</span><span>${runsHtml(r)}</span></li>`).join('')}</ol>`;
}

function blocksHtml(blocks: Block[]): string {
  return blocks
    .map((x) => {
      switch (x.k) {
        case 'h3':
          return `<h3 id="${esc(x.id)}">${esc(x.text)}</h3>`;
        case 'item':
          return `<article class="item" id="${esc(x.id)}" aria-labelledby="${esc(x.id)}-h"><h4 id="${esc(x.id)}-h">${esc(x.title)}</h4>${blocksHtml(x.blocks)}</article>`;
        case 'h':
          return `<h5>${esc(x.text)}</h5>`;
        case 'p':
          return `<p${x.align === 'right' ? ' class="right"' : ''}>${runsHtml(x.runs)}</p>`;
        case 'note':
          return `<p class="note">${runsHtml(x.runs)}</p>`;
        case 'list':
          return listHtml(x.items, x.marker, x.spaced);
        case 'table':
          return tableHtml(x.table);
      }
    })
    .join('\n');
}

const CSS = `
@page { size: A4; margin: 20mm 18mm 20mm 18mm; }
:root { --ink: #1f2328; --muted: #4b5058; --accent: #9f1c1f; --rule: #b9bcc2; --head: #f5e9e9; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.75 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
main, .cover, nav.toc { max-width: 52rem; margin: 0 auto; padding: 0 1rem; }
a { color: #0b4f9c; word-break: break-all; }
.cover { min-height: 90vh; display: flex; flex-direction: column; justify-content: center; align-items: center; text-align: center; padding: 3rem 1rem; border-bottom: 4px double var(--accent); }
.cover p { text-align: center; }
.cover .slogans p { color: var(--accent); font-size: 1.2rem; letter-spacing: .25em; margin: .3rem 0; font-weight: 700; }
.cover h1 { margin: 2.5rem 0 1rem; line-height: 1.35; }
.cover h1 .agency { display: block; font-size: 1.25rem; color: var(--muted); font-weight: 700; letter-spacing: .1em; margin-bottom: .6rem; }
.cover h1 .title { display: block; font-size: 2.3rem; color: var(--accent); letter-spacing: .08em; }
.cover .doc-number { font-size: 1.05rem; margin: .5rem 0; }
.cover .intro { text-align: left; max-width: 40rem; margin: 1.5rem auto; }
.cover .intro p { text-indent: 2em; margin: .4rem 0; }
.cover .intro p.salutation { text-indent: 0; }
.cover .issuer { margin-top: 3rem; font-size: 1.2rem; font-weight: 700; }
.cover .date { margin: .3rem 0 0; }
nav.toc { padding-top: 2rem; padding-bottom: 2rem; }
nav.toc h2 { text-align: center; letter-spacing: .5em; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li { margin: .35rem 0; }
nav.toc li li { margin-left: 2em; font-size: .95rem; }
nav.toc > ol > li > a { font-weight: 700; }
section.part { padding-top: 1.5rem; }
h2 { font-size: 1.6rem; color: var(--accent); text-align: center; margin: 1.5rem 0 1.25rem; padding-bottom: .5rem; border-bottom: 2px solid var(--accent); letter-spacing: .1em; }
h3 { font-size: 1.25rem; margin: 1.75rem 0 .75rem; padding: .25rem .6rem; border-left: 5px solid var(--accent); background: var(--head); }
h4 { font-size: 1.1rem; margin: 1.5rem 0 .4rem; }
h5 { font-size: 1rem; margin: .8rem 0 .25rem; color: var(--accent); }
p { margin: .3rem 0; text-align: justify; overflow-wrap: anywhere; }
p.right { text-align: right; }
p:not(.right) + p.right, ol + p.right, .table-wrap + p.right { margin-top: 1.5rem; }
p.note, .muted { color: var(--muted); }
p.note { font-size: .93rem; }
article.item { padding-bottom: .6rem; border-bottom: 1px dashed var(--rule); }
ol.marked { list-style: none; padding: 0; margin: .25rem 0; }
ol.marked li { display: flex; gap: .35em; margin: .2rem 0; }
ol.marked li > span:last-child { flex: 1; min-width: 0; overflow-wrap: anywhere; text-align: justify; }
ol.marked .mk { flex: none; min-width: 1.3em; }
ol.spaced li, p.spaced { margin: .2rem 0 .7rem; }
.table-wrap { position: relative; overflow-x: auto; margin: .5rem 0 1rem; }
.table-wrap:focus { outline: 2px solid #0b4f9c; }
table { width: 100%; border-collapse: collapse; font-size: .95rem; line-height: 1.55; }
caption { caption-side: top; text-align: left; font-weight: 700; padding: .25rem 0; position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
th, td { border: 1px solid #6b7078; padding: .35rem .5rem; vertical-align: middle; text-align: left; }
th.center, td.center, .nw { white-space: nowrap; }
thead th { background: var(--head); font-weight: 700; text-align: center; }
th.group { font-weight: 700; background: #fbf6f6; }
.center { text-align: center; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  .cover h1 .title { font-size: 1.8rem; }
  h2 { font-size: 1.35rem; }
  table { font-size: .88rem; }
  .table-wrap.wide table { min-width: 38rem; }
  .table-wrap.wide td:not(.center) { min-width: 6.5em; }
  th, td { padding: .3rem .35rem; }
}
@media print {
  body { font-size: 10.5pt; line-height: 1.65; }
  main, .cover, nav.toc { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .cover { min-height: 0; height: 250mm; border-bottom: none; break-after: page; }
  nav.toc { break-after: page; }
  section.part { break-before: page; padding-top: 0; }
  h2, h3, h4, h5 { break-after: avoid; page-break-after: avoid; }
  tr, li, p { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .table-wrap { overflow: visible; }
  article.item { border-bottom: none; }
}
`;

/** A complete, standalone, print-ready HTML page of the agency's guide booklet. */
export function renderBookletHtml(agency: AgencyDetail, items: ItemOut[], offices: OfficeOut[]): string {
  const bk = buildBooklet(agency, items, offices);
  const c = bk.cover;
  const cover = [
    c.slogans.length ? `<div class="slogans">${c.slogans.map((s) => `<p>${esc(s)}</p>`).join('')}</div>` : '',
    `<h1><span class="agency">${esc(bk.agencyName)}</span><span class="title">${esc(bk.title)}</span></h1>`,
    c.docNumber ? `<p class="doc-number">${esc(c.docNumber)}</p>` : '',
    c.intro.length
      ? `<div class="intro">${c.intro.map((s) => `<p${/[：:]$/.test(s) ? ' class="salutation"' : ''}>${esc(s)}</p>`).join('')}</div>`
      : '',
    c.issuer && c.issuer !== bk.agencyName ? `<p class="issuer">${esc(c.issuer)}</p>` : `<p class="issuer">${esc(bk.agencyName)}</p>`,
    c.date ? `<p class="date">${esc(c.date)}</p>` : '',
  ].join('');
  const entries = tocEntries(bk);
  let toc = '<ol>';
  entries.forEach((e, i) => {
    if (e.level === 1) {
      toc += `<li><a href="#${esc(e.id)}">${esc(e.text)}</a>`;
      const subs: TocEntry[] = [];
      for (let j = i + 1; j < entries.length && entries[j]!.level === 2; j++) subs.push(entries[j]!);
      if (subs.length) toc += `<ol>${subs.map((s) => `<li><a href="#${esc(s.id)}">${esc(s.text)}</a></li>`).join('')}</ol>`;
      toc += '</li>';
    }
  });
  toc += '</ol>';
  const parts = bk.parts
    .map(
      (pt) =>
        `<section class="part" id="${esc(pt.id)}" aria-labelledby="${esc(pt.id)}-h">\n<h2 id="${esc(pt.id)}-h">${esc(pt.title)}</h2>\n${blocksHtml(pt.blocks)}\n</section>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(bk.title)} — ${esc(bk.agencyName)}</title>
<meta name="author" content="${esc(bk.agencyName)}">
<meta name="description" content="${esc(bk.subject)}">
<style>${CSS}</style>
</head>
<body>
<header class="cover">${cover}</header>
<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">目录</h2>${toc}</nav>
<main>
${parts}
</main>
</body>
</html>
`;
}
