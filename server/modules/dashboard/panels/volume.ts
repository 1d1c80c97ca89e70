/** 办件量: cases submitted in the period, by item, by channel and by their current status. */
import { sql } from 'kysely';
import { CASE_CHANNELS, CHANNEL_LABELS, type CaseChannel } from '../../../../common/api-cases.ts';
import type { DashTable } from '../../../../common/api-dashboard.ts';
import { CASE_STATES, STATE_LABELS, type CaseState } from '../../../../common/workflow.ts';
import { itemName, officeFilter, type DashScope, type PanelDef } from '../scope.ts';

/** Cases of the agency (and office) submitted in the period: submitted_at in [from 00:00, to+1 00:00) China time. */
function inPeriod(s: DashScope) {
  return sql`c.agency_code = ${s.agencyCode} and c.submitted_at >= ${s.fromTs} and c.submitted_at < ${s.toTs} ${officeFilter(s)}`;
}

const total = (rows: { n: number }[]) => rows.reduce((t, r) => t + r.n, 0);

export const volumePanel: PanelDef = {
  key: 'volume',
  title: '办件量',
  tables: ['volume-item', 'volume-channel', 'volume-status'],
  async run(s) {
    const [byItem, byChannel, byStatus] = await Promise.all([
      sql<{ item_code: string; item_name: string; n: number }>`
        select i.code as item_code, ${itemName()} as item_name, count(*)::int as n
        from cases c join items i on i.id = c.item_id
        where ${inPeriod(s)}
        group by i.id, i.code
        order by n desc, i.code collate "C"`.execute(s.db),
      sql<{ channel: string; n: number }>`
        select c.channel, count(*)::int as n from cases c where ${inPeriod(s)} group by c.channel`.execute(s.db),
      sql<{ status: string; n: number }>`
        select c.status, count(*)::int as n from cases c where ${inPeriod(s)} group by c.status`.execute(s.db),
    ]);
    const n = total(byItem.rows);
    const channelRows = [...byChannel.rows].sort(
      (a, b) => b.n - a.n || CASE_CHANNELS.indexOf(a.channel as CaseChannel) - CASE_CHANNELS.indexOf(b.channel as CaseChannel),
    );
    const statusRows = [...byStatus.rows].sort((a, b) => CASE_STATES.indexOf(a.status as CaseState) - CASE_STATES.indexOf(b.status as CaseState));
    const tables: DashTable[] = [
      {
        key: 'volume-item',
        title: '按事项',
        columns: [
          { key: 'itemCode', label: '事项编码', type: 'text' },
          { key: 'itemName', label: '事项名称', type: 'text' },
          { key: 'count', label: '件数', type: 'int' },
        ],
        rows: byItem.rows.map((r) => ({ itemCode: r.item_code, itemName: r.item_name, count: r.n })),
        totals: { itemCode: '合计', itemName: '', count: n },
      },
      {
        key: 'volume-channel',
        title: '按渠道',
        columns: [
          { key: 'channel', label: '渠道', type: 'text' },
          { key: 'count', label: '件数', type: 'int' },
        ],
        rows: channelRows.map((r) => ({ channel: CHANNEL_LABELS[r.channel as CaseChannel] ?? r.channel, count: r.n })),
        totals: { channel: '合计', count: total(byChannel.rows) },
      },
      {
        key: 'volume-status',
        title: '按当前状态',
        columns: [
          { key: 'status', label: '状态', type: 'text' },
          { key: 'count', label: '件数', type: 'int' },
        ],
        rows: statusRows.map((r) => ({ status: STATE_LABELS[r.status as CaseState] ?? r.status, count: r.n })),
        totals: { status: '合计', count: total(byStatus.rows) },
      },
    ];
    return {
      key: 'volume',
      title: '办件量',
      description: '统计期间内提交（含工作人员代为登记）的办件，按提交时间（北京时间）落在期间内计；草稿不计。状态为办件当前所处状态。',
      kpis: [{ key: 'submitted', label: '期间提交办件', value: n, type: 'int', unit: '件' }],
      tables,
    };
  },
};
