/** Small shared pieces of the 参保人档案 pages: field problems from API errors, labelled sections. */
import type { ReactNode } from 'react';
import { ApiError } from '../../lib/api.ts';

export interface Problem {
  field: string;
  message: string;
}

/** Field problems from an API error's details ({ path, message }); otherwise the error's message as a whole-form problem. */
export function problemsOf(e: unknown): Problem[] {
  if (!(e instanceof ApiError)) return [{ field: '', message: '出现了意外错误，请刷新重试。' }];
  const list = Array.isArray(e.details) ? (e.details as unknown[]) : [];
  const out = list.flatMap((d) => {
    if (!d || typeof d !== 'object') return [];
    const o = d as Record<string, unknown>;
    const field = typeof o.path === 'string' ? o.path : Array.isArray(o.path) ? o.path.join('.') : '';
    return typeof o.message === 'string' ? [{ field, message: o.message }] : [];
  });
  return out.length ? out : [{ field: '', message: e.message }];
}

/** The first problem per field, for the inputs. */
export function byField(problems: Problem[]): Record<string, string> {
  const m: Record<string, string> = {};
  for (const p of problems) if (p.field && !m[p.field]) m[p.field] = p.message;
  return m;
}

/** A record section with its heading (h2) and an optional action next to it. */
export function Section({ id, title, action, children }: { id: string; title: string; action?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel person-sec" aria-labelledby={id}>
      <div className="person-sec-head">
        <h2 id={id}>{title}</h2>
        {action}
      </div>
      {children}
    </section>
  );
}

export function None({ children = '无记录' }: { children?: ReactNode }) {
  return <p className="muted person-none">{children}</p>;
}
