/**
 * 超期: cases whose clock is running past their due date on the snapshot day (the queue's
 * "已超期"), by office and by handler, and the list. Days overdue: working days in (due date, today].
 */
import { sql } from 'kysely';
import type { DashTable } from '../../../../common/api-dashboard.ts';
import { officeFilter, ordinalJoin, wdBetween, type DashScope, type PanelDef } from '../scope.ts';

function overdueCases(s: DashScope) {
  return sql`
    select c.id, c.case_no, c.item_code, c.item_name, c.office_id, o.name as office_name, o.seq as office_seq,
           c.assignee_id, u.name as assignee_name, c.due_date, ${wdBetween('wd', 'wt')} as days
    from cases c
    left join offices o on o.id = c.office_id
    left join users u on u.id = c.assignee_id
    ${ordinalJoin(s, 'wd', sql`c.due_date`)}
    ${ordinalJoin(s, 'wt', sql`${s.today}::date`)}
    where c.agency_code = ${s.agencyCode} and c.clock_state = 'running' and c.due_date < ${s.today}::date ${officeFilter(s)}`;
}

const NO_OFFICE = '未经窗口（网上、掌上等）';
const NO_HANDLER = '未认领';

export const overduePanel: PanelDef = {
  key: 'overdue',
  title: '超期办件',
  tables: ['overdue-office', 'overdue-handler', 'overdue-cases'],
  async run(s) {
    const [byOffice, byHandler, list] = await Promise.all([
      sql<{ office_name: string | null; n: number; max_days: number | null }>`
        with od as (${overdueCases(s)})
        select office_name, count(*)::int as n, max(days)::int as max_days
        from od group by office_id, office_name, office_seq order by n desc, office_seq nulls last, office_id`.execute(s.db),
      sql<{ assignee_name: string | null; n: number; max_days: number | null }>`
        with od as (${overdueCases(s)})
        select assignee_name, count(*)::int as n, max(days)::int as max_days
        from od group by assignee_id, assignee_name order by n desc, assignee_id nulls last`.execute(s.db),
      sql<{
        id: number;
        case_no: string | null;
        item_code: string;
        item_name: string;
        office_name: string | null;
        assignee_name: string | null;
        due_date: string;
        days: number | null;
      }>`
        with od as (${overdueCases(s)})
        select * from od order by due_date, id limit 1000`.execute(s.db),
    ]);
    const n = byOffice.rows.reduce((t, r) => t + r.n, 0);
    const maxOf = (rows: { max_days: number | null }[]) =>
      rows.reduce<number | null>((m, r) => (r.max_days !== null && (m === null || r.max_days > m) ? r.max_days : m), null);
    const tables: DashTable[] = [
      {
        key: 'overdue-office',
        title: '按窗口',
        columns: [
          { key: 'office', label: '窗口', type: 'text' },
          { key: 'count', label: '超期件数', type: 'int' },
          { key: 'maxDays', label: '最长超期（工作日）', type: 'int' },
        ],
        rows: byOffice.rows.map((r) => ({ office: r.office_name ?? NO_OFFICE, count: r.n, maxDays: r.max_days })),
        totals: { office: '合计', count: n, maxDays: maxOf(byOffice.rows) },
      },
      {
        key: 'overdue-handler',
        title: '按经办人',
        columns: [
          { key: 'handler', label: '经办人', type: 'text' },
          { key: 'count', label: '超期件数', type: 'int' },
          { key: 'maxDays', label: '最长超期（工作日）', type: 'int' },
        ],
        rows: byHandler.rows.map((r) => ({ handler: r.assignee_name ?? NO_HANDLER, count: r.n, maxDays: r.max_days })),
        totals: { handler: '合计', count: n, maxDays: maxOf(byHandler.rows) },
      },
      {
        key: 'overdue-cases',
        title: '超期办件清单',
        note: list.rows.length >= 1000 ? '只列出应办结日期最早的 1000 件。' : undefined,
        columns: [
          { key: 'caseNo', label: '办件编号', type: 'text' },
          { key: 'item', label: '事项', type: 'text' },
          { key: 'office', label: '窗口', type: 'text' },
          { key: 'handler', label: '经办人', type: 'text' },
          { key: 'dueDate', label: '应办结日期', type: 'date' },
          { key: 'days', label: '超期（工作日）', type: 'int' },
        ],
        rows: list.rows.map((r) => ({
          caseId: r.id,
          caseNo: r.case_no,
          item: `${r.item_code} ${r.item_name}`,
          office: r.office_name ?? NO_OFFICE,
          handler: r.assignee_name ?? NO_HANDLER,
          dueDate: r.due_date,
          days: r.days,
        })),
        totals: null,
      },
    ];
    return {
      key: 'overdue',
      title: '超期办件',
      description: `截至 ${s.today}（不受统计期间影响）正在计时且已过应办结日期的办件（暂停计时的不计）。超期天数：应办结日期之后至今的工作日数。窗口为登记办件的窗口；经办人为当前认领人。`,
      kpis: [{ key: 'overdue', label: '超期在办', value: n, type: 'int', unit: '件' }],
      tables,
    };
  },
};
