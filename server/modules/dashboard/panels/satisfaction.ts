/**
 * 好差评: the ratings given in the period (cases after 办结 and hall visits after check-in) by level,
 * the satisfaction rate by office and by item, and the 差评 rectifications (整改) still open on the
 * snapshot day, by office, with how many are past their deadline.
 *
 * Satisfaction rate = ratings of level 4–5 (满意, 非常满意) ÷ ratings counted, where a rating is
 * counted unless an appeal against it was upheld (ratings.excluded: 误评/恶意差评 — it stays on
 * record but out of the figures). 差评 = counted ratings of level 1–2.
 */
import { sql } from 'kysely';
import type { DashTable } from '../../../../common/api-dashboard.ts';
import { RATING_LEVELS } from '../../../../common/feedback.ts';
import { officeFilter, type DashScope, type PanelDef } from '../scope.ts';

const NO_OFFICE = '未经窗口（网上、掌上等）';

/** Ratings of the agency (and office) given in the period: created_at in [from 00:00, to+1 00:00) China time. */
function inPeriod(s: DashScope) {
  return sql`g.agency_code = ${s.agencyCode} and g.created_at >= ${s.fromTs} and g.created_at < ${s.toTs} ${officeFilter(s, 'g')}`;
}

/** The per-group numbers every satisfaction table shows. */
const MEASURES = sql`
  count(*)::int as n,
  count(*) filter (where not g.excluded)::int as counted,
  count(*) filter (where not g.excluded and g.level >= 4)::int as good,
  count(*) filter (where not g.excluded and g.level <= 2)::int as bad,
  count(*) filter (where g.excluded)::int as excluded,
  round(100.0 * count(*) filter (where not g.excluded and g.level >= 4) / nullif(count(*) filter (where not g.excluded), 0), 1)::float8 as rate`;

interface Measures {
  n: number;
  counted: number;
  good: number;
  bad: number;
  excluded: number;
  rate: number | null;
}

const measureColumns: DashTable['columns'] = [
  { key: 'ratings', label: '评价数', type: 'int' },
  { key: 'counted', label: '计入满意度', type: 'int' },
  { key: 'good', label: '满意及以上', type: 'int' },
  { key: 'rate', label: '满意率（%）', type: 'percent' },
  { key: 'bad', label: '差评', type: 'int' },
  { key: 'excluded', label: '申诉成立不计', type: 'int' },
];
const measureCells = (r: Measures) => ({ ratings: r.n, counted: r.counted, good: r.good, rate: r.rate, bad: r.bad, excluded: r.excluded });

export const satisfactionPanel: PanelDef = {
  key: 'satisfaction',
  title: '好差评与整改',
  tables: ['satisfaction-level', 'satisfaction-office', 'satisfaction-item', 'rectification-office'],
  async run(s) {
    const [byLevel, byOffice, byItem, rect] = await Promise.all([
      sql<{ level: number; n: number; cases: number; visits: number; excluded: number }>`
        select g.level, count(*)::int as n,
               count(*) filter (where g.subject_kind = 'case')::int as cases,
               count(*) filter (where g.subject_kind = 'visit')::int as visits,
               count(*) filter (where g.excluded)::int as excluded
        from ratings g where ${inPeriod(s)}
        group by g.level`.execute(s.db),
      sql<Measures & { total: boolean; office_name: string | null }>`
        select grouping(g.office_id) = 1 as total, o.name as office_name, ${MEASURES}
        from ratings g left join offices o on o.id = g.office_id
        where ${inPeriod(s)}
        group by grouping sets ((g.office_id, o.name, o.seq), ())
        order by grouping(g.office_id), o.seq nulls last, g.office_id nulls last`.execute(s.db),
      sql<Measures & { item_code: string | null; item_name: string | null }>`
        select g.item_code, (array_agg(g.item_name order by g.id desc))[1] as item_name, ${MEASURES}
        from ratings g where ${inPeriod(s)}
        group by g.item_code
        order by n desc, g.item_code collate "C" nulls last`.execute(s.db),
      sql<{ total: boolean; office_name: string | null; open: number; waiting: number; working: number; overdue: number; earliest: string | null }>`
        select grouping(r.office_id) = 1 as total, o.name as office_name,
               count(*)::int as open,
               count(*) filter (where r.status = 'open')::int as waiting,
               count(*) filter (where r.status = 'in_progress')::int as working,
               count(*) filter (where r.due_date < ${s.today}::date)::int as overdue,
               to_char(min(r.due_date), 'YYYY-MM-DD') as earliest
        from rectifications r left join offices o on o.id = r.office_id
        where r.agency_code = ${s.agencyCode} and r.status in ('open', 'in_progress') ${officeFilter(s, 'r')}
        group by grouping sets ((r.office_id, o.name, o.seq), ())
        order by grouping(r.office_id), o.seq nulls last, r.office_id nulls last`.execute(s.db),
    ]);

    const levels = RATING_LEVELS.map((l) => {
      const r = byLevel.rows.find((x) => x.level === l.level);
      return { level: l.label, count: r?.n ?? 0, cases: r?.cases ?? 0, visits: r?.visits ?? 0, excluded: r?.excluded ?? 0 };
    });
    const sumOf = (k: 'count' | 'cases' | 'visits' | 'excluded') => levels.reduce((t, r) => t + r[k], 0);
    const officeRows = byOffice.rows.filter((r) => !r.total);
    const t = byOffice.rows.find((r) => r.total) ?? { n: 0, counted: 0, good: 0, bad: 0, excluded: 0, rate: null };
    const rectRows = rect.rows.filter((r) => !r.total);
    const rt = rect.rows.find((r) => r.total) ?? { open: 0, waiting: 0, working: 0, overdue: 0, earliest: null };

    const tables: DashTable[] = [
      {
        key: 'satisfaction-level',
        title: '按评价等级',
        columns: [
          { key: 'level', label: '评价等级', type: 'text' },
          { key: 'count', label: '评价数', type: 'int' },
          { key: 'cases', label: '其中办件', type: 'int' },
          { key: 'visits', label: '其中到厅服务', type: 'int' },
          { key: 'excluded', label: '其中申诉成立不计', type: 'int' },
        ],
        rows: levels,
        totals: { level: '合计', count: sumOf('count'), cases: sumOf('cases'), visits: sumOf('visits'), excluded: sumOf('excluded') },
      },
      {
        key: 'satisfaction-office',
        title: '满意度按窗口',
        note: '满意率 = 满意及以上（满意、非常满意）÷ 计入满意度的评价；差评为计入满意度的“不满意”“非常不满意”。',
        columns: [{ key: 'office', label: '窗口', type: 'text' }, ...measureColumns],
        rows: officeRows.map((r) => ({ office: r.office_name ?? NO_OFFICE, ...measureCells(r) })),
        totals: { office: '合计', ...measureCells(t) },
      },
      {
        key: 'satisfaction-item',
        title: '满意度按事项',
        note: '到厅服务评价未指明事项的，按预约的业务类型列出。',
        columns: [
          { key: 'itemCode', label: '事项（业务）编码', type: 'text' },
          { key: 'itemName', label: '事项（业务）名称', type: 'text' },
          ...measureColumns,
        ],
        rows: byItem.rows.map((r) => ({ itemCode: r.item_code ?? '', itemName: r.item_name ?? '', ...measureCells(r) })),
        totals: { itemCode: '合计', itemName: '', ...measureCells(t) },
      },
      {
        key: 'rectification-office',
        title: `待整改（截至 ${s.today}）`,
        columns: [
          { key: 'office', label: '窗口', type: 'text' },
          { key: 'open', label: '待整改', type: 'int' },
          { key: 'waiting', label: '其中待回访', type: 'int' },
          { key: 'working', label: '其中整改中', type: 'int' },
          { key: 'overdue', label: '其中已超期', type: 'int' },
          { key: 'earliest', label: '最早应整改日期', type: 'date' },
        ],
        rows: rectRows.map((r) => ({
          office: r.office_name ?? NO_OFFICE,
          open: r.open,
          waiting: r.waiting,
          working: r.working,
          overdue: r.overdue,
          earliest: r.earliest,
        })),
        totals: { office: '合计', open: rt.open, waiting: rt.waiting, working: rt.working, overdue: rt.overdue, earliest: rt.earliest },
      },
    ];
    return {
      key: 'satisfaction',
      title: '好差评与整改',
      description:
        '评价：统计期间内（按评价时间，北京时间）申请人对已办结办件、预约人对已签到的到厅服务作出的好差评，五级：非常满意、满意、基本满意、不满意、非常不满意。' +
        '满意率 = 评价为“满意”或“非常满意”的条数 ÷ 计入满意度的评价条数；经申诉裁决为误评或恶意差评（申诉成立）的评价保留记录，但不计入满意率和差评数。' +
        '差评：计入满意度的“不满意”“非常不满意”。窗口为办件登记的窗口（网上办件为办结经办人所在窗口）或预约的大厅。' +
        `待整改：截至 ${s.today}（不受统计期间影响）差评整改任务中尚未办结的（待回访、整改中）；已超期：已过应整改日期（按本机构工作日设定的期限）仍未办结。`,
      kpis: [
        { key: 'ratings', label: '期间评价', value: t.n, type: 'int', unit: '条' },
        {
          key: 'satisfactionRate',
          label: '满意率',
          value: t.rate,
          type: 'percent',
          unit: '%',
          note: t.counted ? `${t.good}/${t.counted} 条计入的评价为满意或非常满意` : undefined,
        },
        {
          key: 'badRatings',
          label: '差评',
          value: t.bad,
          type: 'int',
          unit: '条',
          note: t.excluded ? `另有 ${t.excluded} 条经申诉不计` : undefined,
        },
        {
          key: 'openRectifications',
          label: '待整改',
          value: rt.open,
          type: 'int',
          unit: '件',
          note: rt.overdue ? `其中 ${rt.overdue} 件已超期` : undefined,
        },
      ],
      tables,
    };
  },
};
