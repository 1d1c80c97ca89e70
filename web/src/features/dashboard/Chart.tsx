/**
 * One ECharts chart. Only the parts the dashboard draws are imported (bar and pie charts, grid,
 * tooltip, legend, the SVG renderer), so the bundle stays small; this file is loaded with the
 * dashboard route only. The chart is an image with a text summary; the table beside it has the data.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { CHART_COLORS as C } from './colors.ts';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

export const PALETTE = [C.primary, C.green, C.orange, C.violet, C.teal, C.pink, C.olive, C.gray];
const FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

export function Chart({ option, label, height = 240 }: { option: ChartOption; label: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const node = el.current!;
    const c = echarts.init(node, null, { renderer: 'svg' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(node);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ color: PALETTE, textStyle: { fontFamily: FONT }, animation: false, ...option }, { notMerge: true });
  }, [option]);
  return <div className="dash-chart" ref={el} role="img" aria-label={label} style={{ height }} />;
}
