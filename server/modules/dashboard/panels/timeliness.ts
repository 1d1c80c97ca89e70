/**
 * 办结时效: cases completed (办结 — approved or denied) in the period: the on-time rate and the
 * average handling time in working days, by item with a 合计 row.
 *
 * Handling time of one case = the working days its SLA clock ran: working days in (clock start,
 * completion day] on the agency's calendar, minus, for each pause (补正 during review, 中止), the
 * working days in (pause day, resume day] — exactly the days by which the due date was moved. A
 * case completed on its due date therefore took exactly its time limit (e.g. 10 working days).
 */
import { sql } from 'kysely';
import { itemName, officeFilter, ordinalJoin, wdBetween, type DashScope, type PanelDef } from '../scope.ts';

interface Row {
  item_code: string | null;
  item_name: string | null;
  completed: number;
  timed: number;
  on_time: number;
  late: number;
  on_time_rate: number | null;
  measured: number;
  handling_sum: number;
  avg_wd: number | null;
}

export function timelinessRows(s: DashScope) {
  return sql<Row>`
    with done as (
      -- 办结 in the period: completed_at and the stop event are written together with the same clock.
      select c.id, c.item_id, c.sla_start, c.due_date, st.day as stop_day
      from cases c
      join lateral (
        select e.day from case_clock_events e where e.case_id = c.id and e.kind = 'stop' order by e.id desc limit 1
      ) st on true
      where c.agency_code = ${s.agencyCode} and c.status in ('approved', 'denied')
        and c.completed_at >= ${s.fromTs} and c.completed_at < ${s.toTs} ${officeFilter(s)}
    ),
    clock as (
      -- each clock event with the one after it: a pause ends at the next resume (or stop).
      select e.case_id, e.kind, e.day,
             lead(e.kind) over (partition by e.case_id order by e.id) as next_kind,
             lead(e.day) over (partition by e.case_id order by e.id) as next_day
      from case_clock_events e
      where e.case_id in (select id from done) and e.kind in ('start', 'pause', 'resume', 'stop')
    ),
    paused as (
      select p.case_id,
             sum(${wdBetween('wp', 'wr')}) as wd,
             bool_and(p.next_kind in ('resume', 'stop') and ${wdBetween('wp', 'wr')} is not null) as ok
      from clock p
      ${ordinalJoin(s, 'wp', sql`p.day`)}
      ${ordinalJoin(s, 'wr', sql`p.next_day`)}
      where p.kind = 'pause'
      group by p.case_id
    ),
    per_case as (
      select d.*,
             case when coalesce(pz.ok, true) then ${wdBetween('ws', 'we')} - coalesce(pz.wd, 0) end as handling_wd
      from done d
      ${ordinalJoin(s, 'ws', sql`d.sla_start`)}
      ${ordinalJoin(s, 'we', sql`d.stop_day`)}
      left join paused pz on pz.case_id = d.id
    )
    select i.code as item_code,
           case when i.code is null then null else ${itemName()} end as item_name,
           count(*)::int as completed,
           count(pc.due_date)::int as timed,
           count(*) filter (where pc.stop_day <= pc.due_date)::int as on_time,
           count(*) filter (where pc.stop_day > pc.due_date)::int as late,
           round(100.0 * count(*) filter (where pc.stop_day <= pc.due_date) / nullif(count(pc.due_date), 0), 1)::float8 as on_time_rate,
           count(pc.handling_wd)::int as measured,
           coalesce(sum(pc.handling_wd), 0)::int as handling_sum,
           round(sum(pc.handling_wd)::numeric / nullif(count(pc.handling_wd), 0), 2)::float8 as avg_wd
    from per_case pc join items i on i.id = pc.item_id
    group by rollup ((i.id, i.code))
    order by (i.code is null), completed desc, i.code collate "C"`.execute(s.db);
}

export const timelinessPanel: PanelDef = {
  key: 'timeliness',
  title: '办结时效',
  tables: ['timeliness-item'],
  async run(s) {
    const res = await timelinessRows(s);
    const rows = res.rows.filter((r) => r.item_code !== null);
    const t = res.rows.find((r) => r.item_code === null) ?? null;
    const toRow = (r: Row, total = false) => ({
      itemCode: total ? '合计' : r.item_code,
      itemName: total ? '' : r.item_name,
      completed: r.completed,
      timed: r.timed,
      onTime: r.on_time,
      late: r.late,
      onTimeRate: r.on_time_rate,
      measured: r.measured,
      handlingSum: r.handling_sum,
      avgWorkingDays: r.avg_wd,
    });
    const unmeasured = t ? t.completed - t.measured : 0;
    return {
      key: 'timeliness',
      title: '办结时效',
      description:
        '统计期间内办结（办结-准予、办结-不予）的办件。按时办结：办结日期不晚于应办结日期（含暂停计时顺延）；无法定时限的事项不计入按时率分母。' +
        '办理用时：受理之日（计时起点，视为受理的自材料收到之日）至办结之日的工作日数（起点当日不计、办结当日计入），按本机构所在地区工作日历（法定节假日、调休），' +
        '减去补正、中止等暂停计时期间的工作日（暂停之日不计、恢复之日计入）——即计时实际运行的工作日，与法定时限同一口径：恰在应办结日期办结的，用时等于时限。',
      kpis: [
        { key: 'completed', label: '期间办结', value: t?.completed ?? 0, type: 'int', unit: '件' },
        {
          key: 'onTimeRate',
          label: '按时办结率',
          value: t?.on_time_rate ?? null,
          type: 'percent',
          unit: '%',
          note: t?.timed ? `${t.on_time}/${t.timed} 件有时限的办件按时办结` : undefined,
        },
        {
          key: 'avgWorkingDays',
          label: '平均办理用时',
          value: t?.avg_wd ?? null,
          type: 'decimal',
          unit: '个工作日',
          note: unmeasured ? `${unmeasured} 件因工作日历未覆盖无法计算，未计入` : undefined,
        },
      ],
      tables: [
        {
          key: 'timeliness-item',
          title: '按事项',
          note: '按时率 = 按时办结 ÷ 有时限办结；平均用时 = 用时合计 ÷ 可计算件数。',
          columns: [
            { key: 'itemCode', label: '事项编码', type: 'text' },
            { key: 'itemName', label: '事项名称', type: 'text' },
            { key: 'completed', label: '办结件数', type: 'int' },
            { key: 'timed', label: '有时限', type: 'int' },
            { key: 'onTime', label: '按时办结', type: 'int' },
            { key: 'late', label: '超期办结', type: 'int' },
            { key: 'onTimeRate', label: '按时办结率（%）', type: 'percent' },
            { key: 'measured', label: '可计算用时件数', type: 'int' },
            { key: 'handlingSum', label: '用时合计（工作日）', type: 'int' },
            { key: 'avgWorkingDays', label: '平均办理用时（工作日）', type: 'decimal' },
          ],
          rows: rows.map((r) => toRow(r)),
          totals: t ? toRow(t, true) : null,
        },
      ],
    };
  },
};
