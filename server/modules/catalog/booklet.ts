/**
 * The agency guide booklet (办事指南手册) model. `buildBooklet` turns the published catalogue into a
 * small document model (parts → headings, paragraphs, lists, tables) that follows the seeds'
 * own structure; `booklet-html.ts` prints it as a standalone, print-ready HTML page and
 * `booklet-pdf.ts` lays the same model out with pdfkit.
 */
import type { AgencyDetail, ItemOut, OfficeOut } from '../../../common/api.ts';

/** A piece of inline text. `href` only for http(s) links; `muted` for secondary remarks. */
export interface Run {
  t: string;
  b?: boolean;
  href?: string;
  muted?: boolean;
}

export interface TableCol {
  header: string;
  /** CSS width hint for the HTML table. */
  width?: string;
  align?: 'left' | 'center';
}

export interface Table {
  caption: string;
  cols: TableCol[];
  /** Cell text; "\n" is a line break. */
  rows: string[][];
  /** Merge consecutive equal cells of the first column (事项类别, 禁办事项). */
  spanFirst?: boolean;
  /** Item anchors per row: the PDF adds a 页码 column from them. */
  refs?: (string | undefined)[];
}

export type Block =
  | { k: 'h3'; id: string; text: string; toc?: boolean }
  | { k: 'item'; id: string; title: string; blocks: Block[] }
  | { k: 'h'; text: string }
  | { k: 'p'; runs: Run[]; align?: 'right' }
  | { k: 'note'; runs: Run[] }
  | { k: 'list'; items: Run[][]; marker: 'circled' | 'decimal' | 'none'; spaced?: boolean }
  | { k: 'table'; table: Table };

export interface Part {
  id: string;
  title: string;
  blocks: Block[];
}

export interface Booklet {
  agencyName: string;
  title: string;
  subject: string;
  cover: { slogans: string[]; intro: string[]; docNumber?: string; issuer?: string; date?: string };
  parts: Part[];
}

export interface TocEntry {
  id: string;
  text: string;
  level: 1 | 2;
}

const t = (s: string): Run => ({ t: s });
const b = (s: string): Run => ({ t: s, b: true });
const p = (...runs: Run[]): Block => ({ k: 'p', runs });

/** ①…⑳, ㉑…㊿, then (n). */
export function circled(n: number): string {
  if (n >= 1 && n <= 20) return String.fromCodePoint(0x2460 + n - 1);
  if (n >= 21 && n <= 35) return String.fromCodePoint(0x3251 + n - 21);
  if (n >= 36 && n <= 50) return String.fromCodePoint(0x32b1 + n - 36);
  return `(${n})`;
}

/** Transcribers' remarks about the source (kept in the data for review) are not booklet text. */
const EDITORIAL =
  /^容缺办理事项清单|原文|转录|本数据|按原样|疑为|疑少|疑有|未随文本|图题|拆分|拆为|合并为一条|未单列|\b(?:offices|measures|notes|steps|materials|channels|handledBy|toleranceList|prohibitionList)\b/;
export const isEditorial = (s: string): boolean => EDITORIAL.test(s);

const FORM_MARK: Record<string, { mark: string; seen: RegExp }> = {
  original: { mark: '原件', seen: /原件/ },
  copy: { mark: '复印件', seen: /复印/ },
  original_and_copy: { mark: '原件及复印件', seen: /原件|复印/ },
  original_or_copy: { mark: '原件或复印件', seen: /原件|复印/ },
  electronic: { mark: '电子版', seen: /电子/ },
  photo: { mark: '照片或图片', seen: /照片|图片|拍照|扫描/ },
};

type Material = ItemOut['materials'][number];
type Channel = ItemOut['channels'][number];

function materialRuns(m: Material): Run[] {
  const runs: Run[] = [];
  if (m.condition && !m.name.includes(m.condition)) runs.push(b(`${m.condition}：`));
  let text = m.name;
  if (m.count) text += `（${m.count}份）`;
  const form = m.form ? FORM_MARK[m.form] : undefined;
  if (form && !form.seen.test(m.name)) text += `（${form.mark}）`;
  if (!m.required && !m.condition) text += '（如有）';
  if (m.source) text += `（资料来源：${m.source}）`;
  runs.push(t(text));
  if (m.tolerable) runs.push(b(`〔可容缺${m.toleranceDays ? `，受理后${m.toleranceDays}个工作日内补正` : ''}〕`));
  if (m.note && !isEditorial(m.note)) runs.push({ t: ` ${m.note}`, muted: true });
  return runs;
}

/** An http(s) address and nothing else (a run's `href` is only linked then). */
export const isUrl = (s: string) => /^https?:\/\/\S+$/i.test(s);

function channelPart(c: Channel): Run[] {
  const detail = c.detail ?? '';
  const extras: [string, string, boolean][] = [];
  if (c.app && !detail.includes(c.app) && c.app !== c.label) extras.push(['APP', c.app, false]);
  if (c.url && !detail.includes(c.url)) extras.push(['网址', c.url, true]);
  if (c.email && !detail.includes(c.email)) extras.push(['电子邮箱', c.email, false]);
  if (c.fax && !detail.includes(c.fax)) extras.push(['传真', c.fax, false]);
  if (c.phone && !detail.includes(c.phone)) extras.push(['电话', c.phone, false]);
  if (c.address && !detail.includes(c.address)) extras.push(['地址', c.address, false]);
  const runs: Run[] = [];
  if (detail) runs.push(t(detail));
  extras.forEach(([label, value, link], i) => {
    const sep = runs.length ? (i === 0 && detail ? '，' : '；') : '';
    const prefix = !detail && extras.length === 1 ? '' : `${label}：`;
    runs.push(t(sep + prefix));
    runs.push(link && isUrl(value) ? { t: value, href: value } : t(value));
  });
  return runs;
}

/** Consecutive channels with the same label print as one line: "线上：A；B；C". */
function channelLines(chs: Channel[]): Run[][] {
  const lines: Run[][] = [];
  let last = '';
  for (const c of chs) {
    const part = channelPart(c);
    if (c.label === last && lines.length) {
      const line = lines[lines.length - 1]!;
      if (part.length) line.push(t('；'), ...part);
      continue;
    }
    last = c.label;
    const label = /[：:]$/.test(c.label) ? c.label : `${c.label}${part.length ? '：' : ''}`;
    lines.push([b(label), ...part]);
  }
  return lines;
}

function itemBlocks(it: ItemOut, n: string): Block[] {
  const out: Block[] = [];
  if (it.serviceObject) out.push(p(b('服务对象：'), t(it.serviceObject)));
  if (it.conditions.length) {
    out.push(p(b('申请条件：')));
    out.push({ k: 'list', items: it.conditions.map((c) => [t(c)]), marker: it.conditions.length > 1 ? 'circled' : 'none' });
  }
  let k = 0;
  const sec = (s: string) => `${n}.${++k} ${s}`;
  if (it.materials.length || it.materialsText) {
    out.push({ k: 'h', text: sec('需提供要件') });
    if (it.materialsText) for (const line of it.materialsText.split('\n')) if (line.trim()) out.push(p(t(line.trim())));
    if (it.materials.length) {
      if (it.materialsText) out.push(p(b('材料清单：')));
      out.push({ k: 'list', items: it.materials.map(materialRuns), marker: it.materials.length > 1 ? 'circled' : 'none' });
    }
  }
  if (it.channels.length) {
    const lines = channelLines(it.channels);
    out.push({ k: 'h', text: sec('办理路径') });
    out.push({ k: 'list', items: lines, marker: lines.length > 1 ? 'circled' : 'none' });
  }
  if (!(it.timeLimit.kind === 'unspecified' && it.timeLimit.text === '未规定')) out.push(p(b(`${sec('办理时限')}：`), t(it.timeLimit.text)));
  if (it.levels.length) out.push(p(b(`${sec('办理层级')}：`), t(it.levels.join('、'))));
  if (it.steps.length) {
    out.push({ k: 'h', text: sec('办理流程') });
    out.push({ k: 'list', items: it.steps.map((s) => [t(s)]), marker: 'decimal' });
  }
  if (it.results.length) out.push(p(b(`${sec('办理结果')}：`), t(it.results.join('；'))));
  if (it.tips) out.push(p(b(`${sec('温馨提示')}：`), t(it.tips)));
  const notes = it.notes.filter((x) => !isEditorial(x));
  if (notes.length === 1) out.push(p(b(`${sec('注意事项')}：`), t(notes[0]!)));
  else if (notes.length) {
    out.push({ k: 'h', text: sec('注意事项') });
    out.push({ k: 'list', items: notes.map((x) => [t(x)]), marker: 'decimal' });
  }
  if (it.prohibitions.length) {
    out.push({ k: 'h', text: sec('违规禁办情形') });
    const matters = [...new Set(it.prohibitions.map((x) => x.matter ?? ''))];
    for (const matter of matters) {
      const rows = it.prohibitions.filter((x) => (x.matter ?? '') === matter);
      if (matter) out.push(p(b('禁办事项：'), t(matter)));
      out.push({ k: 'list', items: rows.map((x) => [t(x.text)]), marker: 'decimal' });
      const notes = [...new Set(rows.map((x) => x.note).filter((x): x is string => !!x))];
      for (const note of notes) out.push({ k: 'note', runs: [t(`注：${note}`)] });
    }
  }
  if (it.tolerances.length) {
    out.push({ k: 'h', text: sec('容缺办理') });
    out.push({
      k: 'list',
      marker: it.tolerances.length > 1 ? 'circled' : 'none',
      items: it.tolerances.map((x) => [
        b('可容缺资料：'),
        t(x.material + (x.source ? `（资料来源：${x.source}）` : '')),
        ...(x.deadlineText ? [t('；'), b('补正时间：'), t(x.deadlineText)] : []),
      ]),
    });
  }
  const inTips = (phones: string[]) => phones.every((ph) => (it.tips ?? '').includes(ph));
  if (it.consultPhones.length && !inTips(it.consultPhones)) out.push(p(b('联系电话：'), t(it.consultPhones.join('、'))));
  if (it.complaintPhones.length && !inTips(it.complaintPhones)) out.push(p(b('投诉电话：'), t(it.complaintPhones.join('、'))));
  return out;
}

const anchor = (prefix: string, code: string) => `${prefix}-${code.replace(/[^A-Za-z0-9_-]/g, '_')}`;
const uniq = <T>(xs: T[]) => [...new Set(xs)];
const notBlank = (x: string | undefined): x is string => !!x && !!x.trim();

/** Notes the agency printed under a list ("容缺办理事项清单注：…"), as "注：…". */
function listNotes(agency: AgencyDetail, list: string): string[] {
  return agency.notes.filter((n) => n.startsWith(`${list}注`)).map((n) => n.slice(list.length).replace(/^注[：:]?/, '注：'));
}

function officeTable(caption: string, offices: OfficeOut[], numbered: boolean): Table {
  const anyPostalOnly = offices.some((o) => o.postalAddress) && !offices.some((o) => o.address);
  const cols: { col: TableCol; cell: (o: OfficeOut, i: number) => string }[] = [];
  if (numbered) cols.push({ col: { header: '序号', align: 'center' }, cell: (_o, i) => String(i + 1) });
  cols.push({ col: { header: '机构名称' }, cell: (o) => o.name });
  if (offices.some((o) => o.address || o.postalAddress || o.postcode))
    cols.push({
      col: { header: anyPostalOnly ? '邮寄地址' : '地址' },
      cell: (o) =>
        [o.address, o.postalAddress && o.address ? `邮寄地址：${o.postalAddress}` : o.postalAddress, o.postcode ? `邮编：${o.postcode}` : undefined]
          .filter(notBlank)
          .join('\n'),
    });
  if (offices.some((o) => o.phones.length)) cols.push({ col: { header: '联系电话' }, cell: (o) => o.phones.join('\n') });
  if (offices.some((o) => o.faxes.length)) cols.push({ col: { header: '传真' }, cell: (o) => o.faxes.join('\n') });
  if (offices.some((o) => o.emails.length)) cols.push({ col: { header: '电子邮箱' }, cell: (o) => o.emails.join('\n') });
  if (offices.some((o) => o.hours)) cols.push({ col: { header: '办公时间' }, cell: (o) => o.hours ?? '' });
  if (offices.some((o) => o.urls.length)) cols.push({ col: { header: '网址' }, cell: (o) => o.urls.join('\n') });
  return { caption, cols: cols.map((c) => c.col), rows: offices.map((o, i) => cols.map((c) => c.cell(o, i))) };
}

function contactLine(c: {
  phones: string[];
  faxes: string[];
  emails: string[];
  address?: string;
  postalAddress?: string;
  postcode?: string;
  hours?: string;
}): string {
  const parts: string[] = [];
  if (c.phones.length) parts.push(`联系电话：${c.phones.join('、')}`);
  if (c.faxes.length) parts.push(`传真号码：${c.faxes.join('、')}`);
  if (c.emails.length) parts.push(`电子邮箱：${c.emails.join('、')}`);
  if (c.address) parts.push(`地址：${c.address}`);
  if (c.postalAddress) parts.push(`邮寄地址：${c.postalAddress}`);
  if (c.postcode) parts.push(`邮编：${c.postcode}`);
  if (c.hours) parts.push(`办公时间：${c.hours}`);
  return parts.join('；');
}

const MEASURE_HEADINGS: Record<string, (n: number) => string> = {
  relaxed: (n) => `${n}项业务放宽办理`,
  deferred: (n) => `${n}项业务延期办理`,
  extension: (n) => `${n}项业务延长办理期限`,
  other: () => '其他措施',
};

/** Build the booklet model from the API shapes. */
export function buildBooklet(agency: AgencyDetail, items: ItemOut[], offices: OfficeOut[]): Booklet {
  const src = agency.source;
  const toc = new Set(src.toc);
  const notices = agency.notices.map((n) => ({ ...n, used: false }));
  const takeNotice = (pred: (n: { title: string; text: string }) => boolean) => {
    const found = notices.filter((n) => !n.used && pred(n));
    for (const n of found) n.used = true;
    return found;
  };
  const parts: Part[] = [];
  const seqUnique = new Set(items.map((i) => i.seq)).size === items.length;

  // Items in the order of the agency's categories.
  const catOrder = agency.categories.map((c) => c.code);
  const catNames = new Map(agency.categories.map((c) => [c.code, c.name]));
  for (const it of items)
    if (!catNames.has(it.category.code)) {
      catOrder.push(it.category.code);
      catNames.set(it.category.code, it.category.name);
    }
  const ordered = catOrder.flatMap((code) => items.filter((i) => i.category.code === code));
  const number = new Map(ordered.map((it, i) => [it.code, seqUnique ? String(it.seq) : String(i + 1)]));

  // 1. 事项清单
  const listTitle = toc.has('医保权力事项清单') ? '医保权力事项清单' : '事项清单';
  if (ordered.length)
    parts.push({
      id: 'part-list',
      title: listTitle,
      blocks: [
        {
          k: 'table',
          table: {
            caption: listTitle,
            cols: [
              { header: '事项类别', width: '25%' },
              { header: '序号', width: '3.2em', align: 'center' },
              { header: '事项' },
              { header: '办理时限', width: '22%' },
            ],
            rows: ordered.map((it) => [catNames.get(it.category.code) ?? it.category.name, number.get(it.code)!, it.name, it.timeLimit.short]),
            spanFirst: true,
            refs: ordered.map((it) => anchor('item', it.code)),
          },
        },
      ],
    });

  // 2. 办事不找关系路径 / 办理地址和联系方式
  {
    const blocks: Block[] = [];
    const phones: Run[] = [];
    if (agency.consultPhones.length) phones.push(b('咨询电话：'), t(agency.consultPhones.join('、')));
    if (agency.complaintPhones.length) phones.push(b(`${phones.length ? '　' : ''}投诉电话：`), t(agency.complaintPhones.join('、')));
    if (phones.length) blocks.push({ k: 'p', runs: phones });
    const sorted = [...offices].sort((a, c) => a.seq - c.seq);
    const county = sorted.filter((o) => o.kind === 'county_center');
    const main = county.length && county.length < sorted.length ? sorted.filter((o) => o.kind !== 'county_center') : sorted;
    const rest = main === sorted ? [] : county;
    const hasContacts = (os: OfficeOut[]) => os.some((o) => o.address || o.postalAddress || o.phones.length || o.emails.length || o.faxes.length);
    if (main.length) {
      const caption = main.some((o) => o.address) ? '医保服务大厅办理地址' : hasContacts(main) ? '服务大厅及办事处联系方式' : '办理地点';
      blocks.push({ k: 'h3', id: 'contacts-offices', text: caption });
      blocks.push({ k: 'table', table: officeTable(caption, main, true) });
    }
    if (rest.length) {
      const keys = rest.map((o) => o.name.slice(0, 3));
      const [intro] = takeNotice((n) => keys.filter((key) => n.text.includes(key)).length >= Math.min(2, keys.length));
      const caption = intro?.title ?? '县（市）医保经办机构';
      blocks.push({ k: 'h3', id: 'contacts-county', text: caption });
      if (intro) blocks.push(p(t(intro.text)));
      blocks.push({ k: 'table', table: officeTable(caption, rest, false) });
    }
    if (agency.departments.length) {
      blocks.push({ k: 'h3', id: 'contacts-departments', text: '经办部门联系方式' });
      blocks.push({
        k: 'list',
        marker: 'none',
        spaced: true,
        items: agency.departments.map((d) => {
          const line = contactLine(d);
          const runs: Run[] = [b(d.name)];
          if (line) runs.push(t(`\n${line}`));
          if (d.duties.length) runs.push({ t: `\n负责业务：${d.duties.join('；')}`, muted: true });
          return runs;
        }),
      });
    }
    // Appointment phones: the agency's groups, completed by the offices' own appointment phones.
    type Group = { business: string; areaCode?: string; rows: [string, string][]; note?: string };
    const groups: Group[] = agency.appointmentPhones.map((g) => ({
      business: g.business,
      areaCode: g.areaCode,
      rows: g.entries.map((e) => [e.place, e.phone] as [string, string]),
      note: g.note && !isEditorial(g.note) ? g.note : undefined,
    }));
    for (const o of sorted)
      for (const a of o.appointmentPhones) {
        let g = groups.find((x) => x.business === a.business);
        if (!g) groups.push((g = { business: a.business, rows: [] }));
        if (!g.rows.some(([, ph]) => ph === a.phone)) g.rows.push([o.name, a.phone]);
      }
    if (groups.length) {
      blocks.push({ k: 'h3', id: 'contacts-appointments', text: '预约电话' });
      // Groups over (mostly) the same places print as one table with a column per business.
      const clusters: { groups: Group[]; places: string[] }[] = [];
      for (const g of groups) {
        const places = uniq(g.rows.map(([pl]) => pl));
        const c = places.length
          ? clusters.find((c) => places.filter((pl) => c.places.includes(pl)).length * 2 >= Math.min(places.length, c.places.length))
          : undefined;
        if (c) {
          c.groups.push(g);
          c.places.push(...places.filter((pl) => !c.places.includes(pl)));
        } else clusters.push({ groups: [g], places });
      }
      for (const c of clusters) {
        const codes = uniq(c.groups.map((g) => g.areaCode ?? ''));
        const area = codes.length === 1 && codes[0] ? `（区号${codes[0]}）` : '';
        const single = c.groups.length === 1;
        const caption = `${single ? c.groups[0]!.business : '各地'}预约电话${area}`;
        blocks.push(p(b(caption)));
        for (const g of c.groups) if (g.note) blocks.push({ k: 'note', runs: [t(single ? g.note : `${g.business}：${g.note}`)] });
        if (c.places.length)
          blocks.push({
            k: 'table',
            table: {
              caption,
              cols: [{ header: '地点' }, ...c.groups.map((g) => ({ header: single ? '预约电话' : g.business }))],
              rows: c.places.map((pl) => [
                pl,
                ...c.groups.map((g) =>
                  g.rows
                    .filter(([x]) => x === pl)
                    .map(([, ph]) => ph)
                    .join('\n'),
                ),
              ]),
            },
          });
      }
    }
    if (blocks.length) parts.push({ id: 'part-contacts', title: toc.has('办事不找关系路径') ? '办事不找关系路径' : '办理地点和联系方式', blocks });
  }

  // 3. 合规办事业务指南
  {
    const blocks: Block[] = [];
    for (const code of catOrder) {
      const its = ordered.filter((i) => i.category.code === code);
      const name = catNames.get(code) ?? code;
      if (!its.length) continue;
      blocks.push({ k: 'h3', id: anchor('cat', code), text: name, toc: true });
      for (const n of takeNotice((n) => n.title === name)) for (const line of n.text.split('\n')) blocks.push(p(t(line)));
      for (const it of its) {
        const no = number.get(it.code)!;
        blocks.push({ k: 'item', id: anchor('item', it.code), title: `${no}.${it.name}`, blocks: itemBlocks(it, no) });
      }
      for (const n of takeNotice((n) => n.title.startsWith(name))) {
        blocks.push({ k: 'h', text: n.title.slice(name.length) || n.title });
        for (const line of n.text.split('\n')) blocks.push(p(t(line)));
      }
    }
    parts.push({ id: 'part-guide', title: toc.has('合规办事业务指南') ? '合规办事业务指南' : '办事指南', blocks });
  }

  // 4. 违规禁办事项清单
  if (agency.prohibitionList.length) {
    const title = '违规禁办事项清单';
    const blocks: Block[] = [];
    for (const n of takeNotice((n) => n.title === title)) blocks.push(p(t(n.text)));
    blocks.push({
      k: 'table',
      table: {
        caption: title,
        cols: [{ header: '禁办事项' }, { header: '禁办情形' }],
        rows: agency.prohibitionList.flatMap((e) => e.situations.map((s, i) => [e.matter, `${i + 1}.${s.text}`])),
        spanFirst: true,
      },
    });
    const notes = uniq([
      ...agency.prohibitionList
        .map((e) => e.note)
        .filter(notBlank)
        .map((n) => `注：${n}`),
      ...listNotes(agency, title),
    ]);
    for (const n of notes) blocks.push({ k: 'note', runs: [t(n)] });
    parts.push({ id: 'part-prohibitions', title, blocks });
  }

  // 5. 容缺办理事项清单 (rows of one 序号 and 业务事项 are one printed row)
  if (agency.toleranceList.length) {
    const title = '容缺办理事项清单';
    const rows: { key: string; seq: number; item: string; materials: string[]; sources: string[]; deadlines: string[] }[] = [];
    for (const e of agency.toleranceList) {
      const key = `${e.seq}|${e.itemName}`;
      let r = rows.find((x) => x.key === key);
      if (!r) rows.push((r = { key, seq: e.seq, item: e.itemName, materials: [], sources: [], deadlines: [] }));
      r.materials.push(e.material);
      if (e.source) r.sources.push(e.source);
      if (e.deadlineText) r.deadlines.push(e.deadlineText);
    }
    const blocks: Block[] = [
      {
        k: 'table',
        table: {
          caption: title,
          cols: [
            { header: '序号', align: 'center' },
            { header: '业务事项' },
            { header: '可容缺资料' },
            { header: '资料来源' },
            { header: '补正时间' },
          ],
          rows: rows.map((r) => [String(r.seq), r.item, uniq(r.materials).join('、'), uniq(r.sources).join('、'), uniq(r.deadlines).join('；')]),
        },
      },
    ];
    for (const n of listNotes(agency, title)) blocks.push({ k: 'note', runs: [t(n)] });
    for (const n of takeNotice((n) => n.title === title)) blocks.push({ k: 'note', runs: [t(n.text)] });
    parts.push({ id: 'part-tolerances', title, blocks });
  }

  // 6. 放宽 / 延期办理 measures (Dalian, Shandong)
  if (agency.measures.length) {
    const names = new Map(items.map((i) => [i.code, i.name]));
    const blocks: Block[] = [];
    for (const kind of ['relaxed', 'deferred', 'extension', 'other'] as const) {
      const ms = agency.measures.filter((m) => m.kind === kind).sort((a, c) => a.seq - c.seq);
      if (!ms.length) continue;
      const heading = MEASURE_HEADINGS[kind]!(ms.length);
      blocks.push({ k: 'h3', id: `measures-${kind}`, text: heading, toc: true });
      for (const n of takeNotice((n) => n.title === heading)) blocks.push(p(t(n.text)));
      blocks.push({
        k: 'list',
        marker: 'decimal',
        spaced: true,
        items: ms.map((m) => {
          const body = m.text.replace(/^（[一二三四五六七八九十]+）/, '');
          const runs: Run[] = body.startsWith(m.title) ? [b(m.title), t(body.slice(m.title.length))] : [b(`${m.title}。`), t(body)];
          const applies = m.items.map((c) => names.get(c)).filter(notBlank);
          if (applies.length) runs.push({ t: `\n适用事项：${applies.join('、')}`, muted: true });
          return runs;
        }),
      });
    }
    parts.push({ id: 'part-measures', title: '放宽及延期办理措施', blocks });
  }

  // 7. Remaining notices
  const left = notices.filter((n) => !n.used);
  if (left.length === 1) parts.push({ id: 'part-notices', title: left[0]!.title, blocks: left[0]!.text.split('\n').map((l) => p(t(l))) });
  else if (left.length)
    parts.push({
      id: 'part-notices',
      title: '其他事项',
      blocks: left.flatMap((n, i): Block[] => [{ k: 'h3', id: `notice-${i + 1}`, text: n.title }, ...n.text.split('\n').map((l) => p(t(l)))]),
    });

  // Closing words (落款 right-aligned) at the end of the last part.
  if (src.closing.length && parts.length) {
    const last = parts[parts.length - 1]!;
    for (const line of src.closing) last.blocks.push(line.length <= 30 ? { k: 'p', runs: [t(line)], align: 'right' } : p(t(line)));
  }

  const slogansOnly = src.preface.every((l) => l.length <= 24 && !/[：:]$/.test(l));
  return {
    agencyName: agency.name,
    title: src.title,
    subject: `${agency.name}医疗保障经办服务事项办事指南：${ordered.length}项服务事项的办理材料、路径与时限`,
    cover: {
      slogans: slogansOnly ? src.preface : [],
      intro: slogansOnly ? [] : src.preface,
      docNumber: src.docNumber,
      issuer: src.issuer,
      date: src.date,
    },
    parts,
  };
}

/** Table of contents: the parts, and the categories / measure groups under them. */
export function tocEntries(bk: Booklet): TocEntry[] {
  return bk.parts.flatMap((pt) => [
    { id: pt.id, text: pt.title, level: 1 as const },
    ...pt.blocks.filter((x): x is Extract<Block, { k: 'h3' }> => x.k === 'h3' && !!x.toc).map((x) => ({ id: x.id, text: x.text, level: 2 as const })),
  ]);
}
