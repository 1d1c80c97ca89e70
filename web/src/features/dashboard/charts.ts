/**
 * The charts drawn for each panel, from the panel's own tables. A panel without an entry here
 * (a later one) still shows its numbers and tables.
 */
import type { DashPanel, DashRow, DashTable } from '../../../../common/api-dashboard.ts';
import type { ChartOption } from './Chart.tsx';

export interface ChartSpec {
  key: string;
  title: string;
  label: string;
  option: ChartOption;
  height?: number;
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const table = (p: DashPanel, key: string): DashTable | undefined => p.tables.find((t) => t.key === key);

function summary(title: string, rows: DashRow[], nameKey: string, valueKey: string, unit = '件'): string {
  if (!rows.length) return `${title}：无数据`;
  return `${title}：${rows.map((r) => `${String(r[nameKey] ?? '')} ${num(r[valueKey])} ${unit}`).join('，')}`;
}

/** Horizontal bars: one per row, longest first at the top. */
function bars(title: string, rows: DashRow[], nameKey: string, valueKey: string): ChartSpec {
  const shown = [...rows].reverse();
  return {
    key: `${title}-bars`,
    title,
    label: summary(title, rows, nameKey, valueKey),
    height: Math.max(120, 48 + rows.length * 34),
    option: {
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: shown.map((r) => String(r[nameKey] ?? '')), axisLabel: { width: 120, overflow: 'truncate' } },
      series: [{ type: 'bar', name: '件数', data: shown.map((r) => num(r[valueKey])), label: { show: true, position: 'right' }, barMaxWidth: 28 }],
    },
  };
}

function donut(title: string, rows: DashRow[], nameKey: string, valueKey: string): ChartSpec {
  return {
    key: `${title}-donut`,
    title,
    label: summary(title, rows, nameKey, valueKey),
    height: 240,
    option: {
      tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
      legend: { bottom: 0, type: 'scroll' },
      series: [
        {
          type: 'pie',
          name: title,
          radius: ['38%', '66%'],
          center: ['50%', '44%'],
          label: { position: 'inside', formatter: '{c}', color: '#fff', fontWeight: 'bold' },
          data: rows.map((r) => ({ name: String(r[nameKey] ?? ''), value: num(r[valueKey]) })),
        },
      ],
    },
  };
}

export function chartsFor(p: DashPanel): ChartSpec[] {
  switch (p.key) {
    case 'volume': {
      const out: ChartSpec[] = [];
      const item = table(p, 'volume-item');
      const channel = table(p, 'volume-channel');
      const status = table(p, 'volume-status');
      if (item)
        out.push(
          bars(
            '按事项',
            item.rows.map((r) => ({ ...r, name: `${r.itemCode}` })),
            'name',
            'count',
          ),
        );
      if (channel) out.push(donut('按渠道', channel.rows, 'channel', 'count'));
      if (status) out.push(bars('按当前状态', status.rows, 'status', 'count'));
      return out;
    }
    case 'timeliness': {
      const t = table(p, 'timeliness-item');
      if (!t) return [];
      const rows = [...t.rows].reverse();
      return [
        {
          key: 'timeliness',
          title: '按时与超期办结',
          label: `按事项的按时与超期办结：${t.rows.map((r) => `${r.itemCode} 按时 ${num(r.onTime)} 件、超期 ${num(r.late)} 件`).join('；') || '无数据'}`,
          height: Math.max(140, 80 + rows.length * 34),
          option: {
            grid: { left: 8, right: 24, top: 8, bottom: 36, containLabel: true },
            legend: { bottom: 0 },
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            xAxis: { type: 'value', minInterval: 1 },
            yAxis: { type: 'category', data: rows.map((r) => String(r.itemCode)) },
            series: [
              {
                type: 'bar',
                name: '按时办结',
                stack: 'done',
                data: rows.map((r) => num(r.onTime)),
                itemStyle: { color: '#2f9e44' },
                barMaxWidth: 28,
              },
              { type: 'bar', name: '超期办结', stack: 'done', data: rows.map((r) => num(r.late)), itemStyle: { color: '#d9480f' }, barMaxWidth: 28 },
              {
                type: 'bar',
                name: '无时限',
                stack: 'done',
                data: rows.map((r) => num(r.completed) - num(r.timed)),
                itemStyle: { color: '#868e96' },
                barMaxWidth: 28,
              },
            ],
          },
        },
      ];
    }
    case 'backlog': {
      const t = table(p, 'backlog-age');
      if (!t) return [];
      return [
        {
          key: 'backlog',
          title: '按积压时长',
          label: `在办积压按已受理时长：${t.rows.map((r) => `${r.age} ${num(r.count)} 件（暂停 ${num(r.paused)}，超期 ${num(r.overdue)}）`).join('；')}`,
          height: 260,
          option: {
            grid: { left: 8, right: 16, top: 16, bottom: 36, containLabel: true },
            legend: { bottom: 0 },
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            xAxis: { type: 'category', data: t.rows.map((r) => String(r.age).replace(' 个工作日', '')), axisLabel: { interval: 0 } },
            yAxis: { type: 'value', minInterval: 1 },
            series: [
              {
                type: 'bar',
                name: '计时中',
                stack: 'age',
                data: t.rows.map((r) => num(r.count) - num(r.paused) - num(r.overdue)),
                itemStyle: { color: '#0b5cad' },
              },
              { type: 'bar', name: '已超期', stack: 'age', data: t.rows.map((r) => num(r.overdue)), itemStyle: { color: '#d9480f' } },
              { type: 'bar', name: '暂停计时', stack: 'age', data: t.rows.map((r) => num(r.paused)), itemStyle: { color: '#adb5bd' } },
            ],
          },
        },
      ];
    }
    case 'overdue': {
      const out: ChartSpec[] = [];
      const office = table(p, 'overdue-office');
      const handler = table(p, 'overdue-handler');
      if (office?.rows.length) out.push(bars('超期件数按窗口', office.rows, 'office', 'count'));
      if (handler?.rows.length) out.push(bars('超期件数按经办人', handler.rows, 'handler', 'count'));
      return out;
    }
    default:
      return [];
  }
}
