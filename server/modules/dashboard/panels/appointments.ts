/**
 * 预约使用: for the hall-visit days in the period, the seats offered (号源) against the seats booked,
 * and what became of the bookings — arrived (checked in or served), no-show, cancelled, or still
 * to come — by office and by business type.
 *
 * Seats offered are computed in SQL the way the booking page cuts them (common/appointments.ts
 * dayPlan): each working day of the agency's calendar (working_day_ordinals; 调休 make-up days
 * included, holidays and weekends not), for each enabled hall and active business line with
 * seats, the office's opening periods cut into slots of the line's length, minus the days an
 * admin closed. A slot that already has a counter row (appt_slots, made by its first booking)
 * counts with that row's capacity; a slot with seats still taken counts even if the settings
 * have since changed. Days of years the calendar does not cover offer nothing (never guessed).
 */
import { sql, type RawBuilder } from 'kysely';
import { officeFilter, type PanelDef } from '../scope.ts';

interface Row {
  g_office: boolean;
  g_business: boolean;
  office_id: number | null;
  office_name: string | null;
  business_code: string | null;
  business_name: string | null;
  capacity: number;
  made: number;
  booked: number;
  arrived: number;
  no_show: number;
  cancelled: number;
  pending: number;
  use_rate: number | null;
  arrival_rate: number | null;
  no_show_rate: number | null;
  cancel_rate: number | null;
}

/** Minutes since midnight of an 'HH:MM' text. */
const minutes = (e: RawBuilder<unknown>) => sql`(split_part(${e}, ':', 1)::int * 60 + split_part(${e}, ':', 2)::int)`;

export const appointmentsPanel: PanelDef = {
  key: 'appointments',
  title: '预约使用',
  tables: ['appointments-office', 'appointments-business'],
  async run(s) {
    const from = sql`${s.from}::date`;
    const to = sql`${s.to}::date`;
    const res = await sql<Row>`
      with days as (
        select w.day from working_day_ordinals w
        where w.region_code = ${s.regionCode} and w.working and w.day >= ${from} and w.day <= ${to}
      ),
      lines as (
        select ao.office_id, sv.business_code, sv.slot_minutes, sv.capacity, ao.hours
        from appt_offices ao
        join offices o on o.id = ao.office_id
        join appt_services sv on sv.office_id = ao.office_id
        where ao.agency_code = ${s.agencyCode} and ao.enabled and o.active and sv.active and sv.capacity > 0 ${officeFilter(s, 'ao')}
      ),
      planned as (
        select l.office_id, l.business_code, d.day,
               lpad((m / 60)::text, 2, '0') || ':' || lpad((m % 60)::text, 2, '0') as start_time, l.capacity
        from lines l
        cross join days d
        cross join lateral jsonb_array_elements(l.hours) p(period)
        cross join lateral generate_series(${minutes(sql`p.period ->> 'from'`)}, ${minutes(sql`p.period ->> 'to'`)} - l.slot_minutes, l.slot_minutes) g(m)
        where not exists (select 1 from appt_closed_days cd where cd.office_id = l.office_id and cd.day = d.day)
      ),
      counters as (
        select sl.office_id, sl.business_code, sl.day, sl.start_time, sl.capacity, sl.booked
        from appt_slots sl join appt_offices ao on ao.office_id = sl.office_id
        where ao.agency_code = ${s.agencyCode} and sl.day >= ${from} and sl.day <= ${to} ${officeFilter(s, 'sl')}
      ),
      seats as (
        select coalesce(p.office_id, c.office_id) as office_id, coalesce(p.business_code, c.business_code) as business_code,
               coalesce(c.capacity, p.capacity) as capacity
        from planned p
        full join counters c on c.office_id = p.office_id and c.business_code = p.business_code and c.day = p.day and c.start_time = p.start_time
        where p.office_id is not null or c.booked > 0
      ),
      offered as (
        select office_id, business_code, sum(capacity)::int as capacity from seats group by office_id, business_code
      ),
      used as (
        select a.office_id, a.business_code,
               count(*)::int as made,
               count(*) filter (where a.status <> 'cancelled')::int as booked,
               count(*) filter (where a.status in ('checked_in', 'served'))::int as arrived,
               count(*) filter (where a.status = 'no_show')::int as no_show,
               count(*) filter (where a.status = 'cancelled')::int as cancelled,
               count(*) filter (where a.status = 'booked')::int as pending
        from appointments a
        where a.agency_code = ${s.agencyCode} and a.day >= ${from} and a.day <= ${to} ${officeFilter(s, 'a')}
        group by a.office_id, a.business_code
      ),
      per as (
        select coalesce(f.office_id, u.office_id) as office_id, coalesce(f.business_code, u.business_code) as business_code,
               coalesce(f.capacity, 0) as capacity, coalesce(u.made, 0) as made, coalesce(u.booked, 0) as booked,
               coalesce(u.arrived, 0) as arrived, coalesce(u.no_show, 0) as no_show, coalesce(u.cancelled, 0) as cancelled,
               coalesce(u.pending, 0) as pending
        from offered f full join used u on u.office_id = f.office_id and u.business_code = f.business_code
      ),
      agg as (
        select grouping(office_id) = 1 as g_office, grouping(business_code) = 1 as g_business, office_id, business_code,
               coalesce(sum(capacity), 0)::int as capacity, coalesce(sum(made), 0)::int as made, coalesce(sum(booked), 0)::int as booked,
               coalesce(sum(arrived), 0)::int as arrived, coalesce(sum(no_show), 0)::int as no_show,
               coalesce(sum(cancelled), 0)::int as cancelled, coalesce(sum(pending), 0)::int as pending
        from per
        group by grouping sets ((office_id), (business_code), ())
      )
      select agg.*, o.name as office_name, bt.name as business_name,
             round(100.0 * booked / nullif(capacity, 0), 1)::float8 as use_rate,
             round(100.0 * arrived / nullif(arrived + no_show, 0), 1)::float8 as arrival_rate,
             round(100.0 * no_show / nullif(arrived + no_show, 0), 1)::float8 as no_show_rate,
             round(100.0 * cancelled / nullif(made, 0), 1)::float8 as cancel_rate
      from agg
      left join offices o on o.id = agg.office_id and not agg.g_office
      left join appt_business_types bt on bt.agency_code = ${s.agencyCode} and bt.code = agg.business_code and not agg.g_business
      order by agg.g_office, agg.g_business, o.seq nulls last, agg.office_id, bt.seq nulls last, agg.business_code collate "C"`.execute(s.db);

    const uncovered = await sql<{ n: number }>`
      select count(*)::int as n from generate_series(${s.from}::timestamp, ${s.to}::timestamp, interval '1 day') d(day)
      where not exists (select 1 from working_day_ordinals w where w.region_code = ${s.regionCode} and w.day = d.day::date)`.execute(s.db);
    const missing = uncovered.rows[0]?.n ?? 0;

    const cells = (r: Row) => ({
      capacity: r.capacity,
      booked: r.booked,
      useRate: r.use_rate,
      arrived: r.arrived,
      arrivalRate: r.arrival_rate,
      noShows: r.no_show,
      noShowRate: r.no_show_rate,
      pending: r.pending,
      cancelled: r.cancelled,
      cancelRate: r.cancel_rate,
    });
    const columns = [
      { key: 'capacity', label: '可约号源', type: 'int' },
      { key: 'booked', label: '已预约', type: 'int' },
      { key: 'useRate', label: '号源使用率（%）', type: 'percent' },
      { key: 'arrived', label: '到厅', type: 'int' },
      { key: 'arrivalRate', label: '到厅率（%）', type: 'percent' },
      { key: 'noShows', label: '爽约', type: 'int' },
      { key: 'noShowRate', label: '爽约率（%）', type: 'percent' },
      { key: 'pending', label: '待到厅', type: 'int' },
      { key: 'cancelled', label: '取消', type: 'int' },
      { key: 'cancelRate', label: '取消率（%）', type: 'percent' },
    ] as const;
    const shown = (r: Row) => r.capacity > 0 || r.made > 0;
    const byOffice = res.rows.filter((r) => !r.g_office && r.g_business && shown(r));
    const byBusiness = res.rows.filter((r) => r.g_office && !r.g_business && shown(r));
    const t = res.rows.find((r) => r.g_office && r.g_business);
    const totals = t ? cells(t) : null;
    const note = '号源使用率 = 已预约 ÷ 可约号源；到厅率、爽约率的分母为已到预约时间并已记录结果的预约（到厅 + 爽约）；取消率 = 取消 ÷ 全部预约。';
    return {
      key: 'appointments',
      title: '预约使用',
      description:
        '预约日期在统计期间内的大厅预约（改约的按改约后的日期）。可约号源：期间内每个工作日（按本机构所在地区工作日历，含调休上班日），各开通预约的大厅、各业务按办公时段和时段长度切分的时段号数之和，' +
        '管理员设置的闭厅日不计；已有人预约过的时段按该时段的实际号数计。号源按当前的大厅设置推算，以往调整过的设置不追溯。' +
        '已预约：占用号源的预约（除已取消外的全部：到厅、爽约、待到厅）。到厅：已签到（含已办理）；爽约：未按时签到、记为未到的；待到厅：尚未到预约时间或尚未记录结果的；取消：本人取消或因闭厅取消的。' +
        '号源使用率 = 已预约 ÷ 可约号源；到厅率 = 到厅 ÷（到厅 + 爽约）；爽约率 = 爽约 ÷（到厅 + 爽约）；取消率 = 取消 ÷ 全部预约（含取消）。',
      kpis: [
        {
          key: 'apptCapacity',
          label: '可约号源',
          value: t?.capacity ?? 0,
          type: 'int',
          unit: '个',
          note: missing ? `${missing} 天因工作日历未录入未计号源` : undefined,
        },
        {
          key: 'apptUseRate',
          label: '号源使用率',
          value: t?.use_rate ?? null,
          type: 'percent',
          unit: '%',
          note: t?.capacity ? `已预约 ${t.booked} 个` : undefined,
        },
        {
          key: 'apptArrived',
          label: '到厅',
          value: t?.arrived ?? 0,
          type: 'int',
          unit: '人次',
          note: t?.arrival_rate !== null && t?.arrival_rate !== undefined ? `到厅率 ${t.arrival_rate.toFixed(1)}%` : undefined,
        },
        {
          key: 'apptNoShows',
          label: '爽约',
          value: t?.no_show ?? 0,
          type: 'int',
          unit: '人次',
          note: t?.no_show_rate !== null && t?.no_show_rate !== undefined ? `爽约率 ${t.no_show_rate.toFixed(1)}%` : undefined,
        },
        {
          key: 'apptCancelled',
          label: '预约取消',
          value: t?.cancelled ?? 0,
          type: 'int',
          unit: '人次',
          note: t?.cancel_rate !== null && t?.cancel_rate !== undefined ? `取消率 ${t.cancel_rate.toFixed(1)}%` : undefined,
        },
      ],
      tables: [
        {
          key: 'appointments-office',
          title: '按大厅',
          note,
          columns: [{ key: 'office', label: '大厅', type: 'text' }, ...columns],
          rows: byOffice.map((r) => ({ office: r.office_name ?? String(r.office_id), ...cells(r) })),
          totals: totals && { office: '合计', ...totals },
        },
        {
          key: 'appointments-business',
          title: '按业务类型',
          note,
          columns: [{ key: 'business', label: '业务类型', type: 'text' }, ...columns],
          rows: byBusiness.map((r) => ({ business: r.business_name ?? r.business_code, ...cells(r) })),
          totals: totals && { business: '合计', ...totals },
        },
      ],
    };
  },
};
