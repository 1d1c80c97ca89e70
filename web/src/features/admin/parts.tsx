/**
 * Shared pieces of the admin pages: the page frame (staff only, the agency acted for — a system
 * admin picks any with ?agency=), field problems from the API's error details, version state tags.
 */
import { useEffect, useId, useMemo, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import { api, ApiError, type AgencySummary, type FieldProblem, type UserOut } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { navigate, useLocation } from '../../lib/router.tsx';
import { Crumbs } from '../../components/Layout.tsx';
import { Field, describedBy } from '../../components/Form.tsx';
import { adminApi, type AdminApi } from './adminApi.ts';
import './admin.css';

export const isAdmin = (me: UserOut) => me.roles.some((r) => r === 'agency_admin' || r === 'sysadmin');

export interface AdminCtx {
  me: UserOut;
  /** The agency the page shows. */
  agency: string;
  agencyName: string;
  /** Set only when a system admin acts for another agency than their own. */
  agencyParam: string | null;
  api: AdminApi;
  /** An admin address that keeps the chosen agency. */
  href: (path: string) => string;
}

function useAgencies(): AgencySummary[] {
  const [list, setList] = useState<AgencySummary[]>([]);
  useEffect(() => {
    api.agencies().then(setList, () => setList([]));
  }, []);
  return list;
}

export function AdminPage({
  title,
  crumbs = [],
  children,
}: {
  title: string;
  crumbs?: { href?: string; label: string }[];
  children: (ctx: AdminCtx) => ReactNode;
}) {
  return <RequireLogin staff>{(me) => <Frame me={me} title={title} crumbs={crumbs} render={children} />}</RequireLogin>;
}

function Frame({
  me,
  title,
  crumbs,
  render,
}: {
  me: UserOut;
  title: string;
  crumbs: { href?: string; label: string }[];
  render: (ctx: AdminCtx) => ReactNode;
}) {
  const loc = useLocation();
  const agencies = useAgencies();
  const pickId = useId();
  const sys = me.roles.includes('sysadmin');
  const asked = new URLSearchParams(loc.search).get('agency');
  const own = me.agencyCode ?? '';
  const agency = sys && asked ? asked : own;
  const agencyParam = agency !== own ? agency : null;
  const agencyName = agencies.find((a) => a.code === agency)?.name ?? agency;
  const ctx = useMemo<AdminCtx>(
    () => ({
      me,
      agency,
      agencyName,
      agencyParam,
      api: adminApi(agencyParam),
      href: (path) => (agencyParam ? `${path}${path.includes('?') ? '&' : '?'}agency=${encodeURIComponent(agencyParam)}` : path),
    }),
    [me, agency, agencyName, agencyParam],
  );
  useEffect(() => {
    document.title = `${title} · 机构管理`;
  }, [title]);
  return (
    <section className="staff admin">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { href: ctx.href('/admin'), label: '机构管理' }, ...crumbs, { label: title }]} />
      <div className="admin-head">
        <h1>{title}</h1>
        {sys ? (
          <div className="admin-agency">
            <label htmlFor={pickId}>经办机构</label>
            <select
              id={pickId}
              value={agency}
              onChange={(e) => {
                const sp = new URLSearchParams(location.search);
                if (e.target.value === own) sp.delete('agency');
                else sp.set('agency', e.target.value);
                const q = sp.toString();
                navigate(`${location.pathname}${q ? `?${q}` : ''}`);
              }}
            >
              {(agencies.length ? agencies : [{ code: agency, name: agency } as AgencySummary]).map((a) => (
                <option key={a.code} value={a.code}>
                  {a.name}
                  {a.code === own ? '（本机构）' : ''}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <p className="muted admin-agency">{agencyName}</p>
        )}
      </div>
      {render(ctx)}
    </section>
  );
}

/** Field problems from an API error's details ({ path, message }); an empty path is a problem of the whole form. */
export function problemsOf(e: unknown): FieldProblem[] {
  if (!(e instanceof ApiError)) return [];
  const list = Array.isArray(e.details) ? (e.details as unknown[]) : [];
  const out = list.flatMap((d) => {
    if (!d || typeof d !== 'object') return [];
    const o = d as Record<string, unknown>;
    const field = typeof o.path === 'string' ? o.path : Array.isArray(o.path) ? o.path.join('.') : typeof o.field === 'string' ? o.field : '';
    return typeof o.message === 'string' ? [{ field, message: o.message }] : [];
  });
  return out.length ? out : [{ field: '', message: e.message }];
}

/** Problems for an ErrorSummary: each names its field unless the message already does. */
export function labelled(problems: FieldProblem[], labels: Record<string, string>): FieldProblem[] {
  return problems.map((p) => {
    const l = labels[p.field];
    return l && !p.message.includes(l) ? { ...p, message: `${l}：${p.message}` } : p;
  });
}

/** The first problem per field, for the inputs. */
export function byField(problems: FieldProblem[]): Record<string, string> {
  const m: Record<string, string> = {};
  for (const p of problems) if (p.field && !m[p.field]) m[p.field] = p.message;
  return m;
}

export const STATE_LABELS: Record<string, { label: string; cls: string }> = {
  in_force: { label: '现行', cls: 'ok' },
  scheduled: { label: '待生效', cls: 'info' },
  superseded: { label: '已被取代', cls: '' },
  expired: { label: '已失效', cls: '' },
};

export function StateTag({ state }: { state: string }) {
  const s = STATE_LABELS[state] ?? { label: state, cls: '' };
  return <span className={`tag ${s.cls}`}>{s.label}</span>;
}

export function Publisher({ origin, by }: { origin: 'file' | 'admin'; by: string | null }) {
  if (origin === 'file' || !by) return <>随数据文件导入</>;
  return <>{by}</>;
}

/** Today in China (YYYY-MM-DD), as the server counts it. */
export function todayCn(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

/** A labelled input whose id is `${prefix}-${name}` (so ErrorSummary links reach it), with its help and error. */
export function InputField({
  prefix,
  name,
  label,
  value,
  onChange,
  error,
  required,
  help,
  ...rest
}: {
  prefix: string;
  name: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  required?: boolean;
  help?: ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'name'>) {
  const id = `${prefix}-${name}`;
  return (
    <Field id={id} label={label} required={required} help={help} error={error}>
      <input
        id={id}
        name={name}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, help, error)}
        aria-required={required || undefined}
        {...rest}
      />
    </Field>
  );
}
