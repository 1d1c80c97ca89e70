/**
 * 积压: the cases accepted and not yet finished (the SLA clock started and has not stopped:
 * running, paused, or untimed for items without a time limit) on the snapshot day, by age — the
 * working days from the clock start to that day (start day not counted), pauses included.
 */
import { sql } from 'kysely';
import { officeFilter, ordinalJoin, wdBetween, type PanelDef } from '../scope.ts';

/** Age buckets in working days: [key, label, lowest, highest]. */
export const AGE_BUCKETS: readonly [string, string, number, number | null][] = [
  ['0-2', '0–2 个工作日', 0, 2],
  ['3-5', '3–5 个工作日', 3, 5],
  ['6-10', '6–10 个工作日', 6, 10],
  ['11-20', '11–20 个工作日', 11, 20],
  ['21+', '21 个工作日以上', 21, null],
];

export const backlogPanel: PanelDef = {
  key: 'backlog',
  title: '在办积压',
  tables: ['backlog-age'],
  async run(s) {
    const buckets = sql.join(
      AGE_BUCKETS.map(([k, , lo, hi], i) => sql`(${i}, ${k}, ${lo}::int, ${hi}::int)`),
      sql`, `,
    );
    const res = await sql<{ bucket: string | null; n: number; paused: number; overdue: number }>`
      with open as (
        select c.id, c.clock_state, (c.clock_state = 'running' and c.due_date < ${s.today}::date) as overdue,
               ${wdBetween('ws', 'wt')} as age
        from cases c
        ${ordinalJoin(s, 'ws', sql`c.sla_start`)}
        ${ordinalJoin(s, 'wt', sql`${s.today}::date`)}
        where c.agency_code = ${s.agencyCode} and c.clock_state in ('running', 'paused', 'untimed') ${officeFilter(s)}
      ),
      b(k, bucket, lo, hi) as (values ${buckets})
      select b.bucket, count(o.id)::int as n,
             count(o.id) filter (where o.clock_state = 'paused')::int as paused,
             count(o.id) filter (where o.overdue)::int as overdue
      from b left join open o on o.age >= b.lo and (b.hi is null or o.age <= b.hi)
      group by b.k, b.bucket
      union all
      select null, count(*)::int, count(*) filter (where clock_state = 'paused')::int, count(*) filter (where overdue)::int
      from open where age is null
      `.execute(s.db);
    const label = new Map(AGE_BUCKETS.map(([k, l]) => [k, l]));
    const order = AGE_BUCKETS.map(([k]) => k);
    const known = res.rows.filter((r) => r.bucket !== null).sort((a, b) => order.indexOf(a.bucket!) - order.indexOf(b.bucket!));
    const unknown = res.rows.find((r) => r.bucket === null);
    const rows = known.map((r) => ({ age: label.get(r.bucket!) ?? r.bucket, count: r.n, paused: r.paused, overdue: r.overdue }));
    if (unknown && unknown.n > 0)
      rows.push({ age: '无法计算（工作日历未覆盖）', count: unknown.n, paused: unknown.paused, overdue: unknown.overdue });
    const sum = (f: 'count' | 'paused' | 'overdue') => rows.reduce((t, r) => t + r[f], 0);
    return {
      key: 'backlog',
      title: '在办积压',
      description: `截至 ${s.today}（不受统计期间影响）已受理、尚未办结的办件（计时中、暂停计时或无法定时限）。积压时长：自受理之日（计时起点）至今的工作日数（起点当日不计），暂停期间照计。`,
      kpis: [
        { key: 'open', label: '在办积压', value: sum('count'), type: 'int', unit: '件' },
        { key: 'paused', label: '其中暂停计时', value: sum('paused'), type: 'int', unit: '件', note: '补正或中止，等待申请人' },
      ],
      tables: [
        {
          key: 'backlog-age',
          title: '按积压时长',
          columns: [
            { key: 'age', label: '已受理时长', type: 'text' },
            { key: 'count', label: '件数', type: 'int' },
            { key: 'paused', label: '其中暂停计时', type: 'int' },
            { key: 'overdue', label: '其中已超期', type: 'int' },
          ],
          rows,
          totals: { age: '合计', count: sum('count'), paused: sum('paused'), overdue: sum('overdue') },
        },
      ],
    };
  },
};
