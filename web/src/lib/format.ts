/** Display helpers: dates in China time, file sizes, working-day deadlines. */
import type { CaseSummary } from './api.ts';
export { CHANNEL_LABELS } from '../../../common/case-channels.ts';

const TZ = 'Asia/Shanghai';

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('zh-CN', {
    timeZone: TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('sv-SE', { timeZone: TZ });
}

export function fmtTime(d: Date): string {
  return d.toLocaleTimeString('zh-CN', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hour12: false });
}

export function fmtSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Today in China (YYYY-MM-DD). */
export function todayChina(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: TZ });
}

const CLOCK_LABELS: Record<string, string> = { paused: '暂停计时中', stopped: '已停止计时', idle: '受理后开始计时' };

/** "剩余 N 个工作日" / "已超期" / the clock state when not running. */
export function deadlineText(c: Pick<CaseSummary, 'overdue' | 'workingDaysLeft' | 'clockState' | 'dueDate'>): string {
  if (c.overdue) return '已超期';
  if (c.workingDaysLeft !== null) return c.workingDaysLeft === 0 ? '今天到期' : `剩余 ${c.workingDaysLeft} 个工作日`;
  if (c.clockState === 'running' && c.dueDate) return `${c.dueDate} 前办结`;
  return CLOCK_LABELS[c.clockState] ?? '';
}

export const CLOCK_EVENT_LABELS: Record<string, string> = {
  start: '开始计时',
  pause: '暂停',
  resume: '恢复',
  warn75: '时限过75%预警',
  last_day: '最后一个工作日提醒',
  breach: '超期',
  stop: '停止',
  recompute: '按新的工作日历重新计算',
};

export function limitsText(l: { maxFileBytes: number; maxCaseBytes: number; maxFilesPerCase: number; types: string[] }): string {
  const mb = (n: number) => Math.round(n / 1024 / 1024);
  return `${l.types.join('/')}，单个不超过${mb(l.maxFileBytes)}MB，合计不超过${mb(l.maxCaseBytes)}MB、${l.maxFilesPerCase}个文件`;
}
