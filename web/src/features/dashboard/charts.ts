/**
 * The charts drawn for each panel, from the panel's own tables. A panel without an entry here
 * (a later one) still shows its numbers and tables.
 */
import type { DashPanel, DashRow, DashTable } from '../../../../common/api-dashboard.ts';
import type { ChartOption } from './Chart.tsx';
import { CHART_COLORS as C } from './colors.ts';

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
          label: { position: 'inside', formatter: '{c}', color: C.white, fontWeight: 'bold' },
          data: rows.map((r) => ({ name: String(r[nameKey] ?? ''), value: num(r[valueKey]) })),
        },
      ],
    },
  };
}

/** Horizontal bars of a percentage per row (rows without a rate are left out). */
function percentBars(title: string, rows: DashRow[], nameKey: string, valueKey: string): ChartSpec {
  const withRate = rows.filter((r) => typeof r[valueKey] === 'number');
  const shown = [...withRate].reverse();
  return {
    key: `${title}-pct`,
    title,
    label: withRate.length
      ? `${title}：${withRate.map((r) => `${String(r[nameKey] ?? '')} ${num(r[valueKey]).toFixed(1)}%`).join('，')}`
      : `${title}：无数据`,
    height: Math.max(120, 48 + withRate.length * 34),
    option: {
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${String(v)}%` },
      xAxis: { type: 'value', min: 0, max: 100, interval: 50, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: shown.map((r) => String(r[nameKey] ?? '')), axisLabel: { width: 120, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          name: title,
          data: shown.map((r) => num(r[valueKey])),
          label: { show: true, position: 'right', formatter: '{c}%' },
          itemStyle: { color: C.green },
          barMaxWidth: 28,
        },
      ],
    },
  };
}

interface Part {
  name: string;
  color: string;
  value: (r: DashRow) => number;
}

/** Horizontal stacked bars: one bar per row, one segment per part; the label lists every part. */
function stacked(key: string, title: string, rows: DashRow[], nameKey: string, parts: Part[], unit: string): ChartSpec {
  const shown = [...rows].reverse();
  const says = rows.map((r) => `${String(r[nameKey] ?? '')}：${parts.map((p) => `${p.name} ${p.value(r)} ${unit}`).join('、')}`);
  return {
    key,
    title,
    label: `${title}：${says.join('；') || '无数据'}`,
    height: Math.max(140, 80 + rows.length * 34),
    option: {
      grid: { left: 8, right: 24, top: 8, bottom: 36, containLabel: true },
      legend: { bottom: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: shown.map((r) => String(r[nameKey] ?? '')), axisLabel: { width: 120, overflow: 'truncate' } },
      series: parts.map((p) => ({
        type: 'bar' as const,
        name: p.name,
        stack: key,
        data: shown.map((r) => p.value(r)),
        itemStyle: { color: p.color },
        barMaxWidth: 28,
      })),
    },
  };
}

/** 非常满意 … 非常不满意: greens to reds. */
const LEVEL_COLORS: Record<string, string> = {
  非常满意: C.greenDark,
  满意: C.greenLight,
  基本满意: C.grayLight,
  不满意: C.amber,
  非常不满意: C.red,
};

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
                itemStyle: { color: C.green },
                barMaxWidth: 28,
              },
              { type: 'bar', name: '超期办结', stack: 'done', data: rows.map((r) => num(r.late)), itemStyle: { color: C.orange }, barMaxWidth: 28 },
              {
                type: 'bar',
                name: '无时限',
                stack: 'done',
                data: rows.map((r) => num(r.completed) - num(r.timed)),
                itemStyle: { color: C.gray },
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
                itemStyle: { color: C.primary },
              },
              { type: 'bar', name: '已超期', stack: 'age', data: t.rows.map((r) => num(r.overdue)), itemStyle: { color: C.orange } },
              { type: 'bar', name: '暂停计时', stack: 'age', data: t.rows.map((r) => num(r.paused)), itemStyle: { color: C.grayLight } },
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
    case 'satisfaction': {
      const out: ChartSpec[] = [];
      const level = table(p, 'satisfaction-level');
      const office = table(p, 'satisfaction-office');
      const rect = table(p, 'rectification-office');
      if (level && level.rows.some((r) => num(r.count) > 0))
        out.push({
          key: 'satisfaction-level',
          title: '评价等级分布',
          label: summary('评价等级分布', level.rows, 'level', 'count', '条'),
          height: 260,
          option: {
            tooltip: { trigger: 'item', formatter: '{b}：{c} 条（{d}%）' },
            legend: { bottom: 0, type: 'plain', itemGap: 8 },
            series: [
              {
                type: 'pie',
                name: '评价等级分布',
                radius: ['34%', '60%'],
                center: ['50%', '40%'],
                label: { position: 'inside', formatter: '{c}', color: C.white, fontWeight: 'bold' },
                data: level.rows
                  .filter((r) => num(r.count) > 0)
                  .map((r) => ({ name: String(r.level), value: num(r.count), itemStyle: { color: LEVEL_COLORS[String(r.level)] } })),
              },
            ],
          },
        });
      if (office?.rows.some((r) => typeof r.rate === 'number')) out.push(percentBars('满意率按窗口', office.rows, 'office', 'rate'));
      if (rect?.rows.length)
        out.push(
          stacked(
            'rectification',
            '待整改按窗口',
            rect.rows,
            'office',
            [
              { name: '期限内', color: C.primary, value: (r) => num(r.open) - num(r.overdue) },
              { name: '已超期', color: C.orange, value: (r) => num(r.overdue) },
            ],
            '件',
          ),
        );
      return out;
    }
    case 'complaints': {
      const t = table(p, 'complaints-subject');
      if (!t?.rows.length) return [];
      return [
        stacked(
          'complaints',
          '投诉答复情况',
          t.rows,
          'subject',
          [
            { name: '按时答复', color: C.green, value: (r) => num(r.answered) - num(r.late) },
            { name: '超期答复', color: C.amber, value: (r) => num(r.late) },
            { name: '未答复（期限内）', color: C.primary, value: (r) => num(r.open) - num(r.openOverdue) },
            { name: '逾期未答复', color: C.red, value: (r) => num(r.openOverdue) },
          ],
          '件',
        ),
      ];
    }
    case 'appointments': {
      const out: ChartSpec[] = [];
      const business = table(p, 'appointments-business');
      if (!business?.rows.length) return out;
      out.push(percentBars('号源使用率按业务类型', business.rows, 'business', 'useRate'));
      out.push(
        stacked(
          'appointments',
          '预约结果按业务类型',
          business.rows,
          'business',
          [
            { name: '到厅', color: C.green, value: (r) => num(r.arrived) },
            { name: '爽约', color: C.red, value: (r) => num(r.noShows) },
            { name: '待到厅', color: C.primary, value: (r) => num(r.pending) },
            { name: '取消', color: C.grayLight, value: (r) => num(r.cancelled) },
          ],
          '人次',
        ),
      );
      return out;
    }
    default:
      return [];
  }
}
