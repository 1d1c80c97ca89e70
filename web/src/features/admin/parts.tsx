/**
 * Shared pieces of the admin pages: the page frame (staff only, the agency acted for — a system
 * admin picks any with ?agency=), a form's values and its field problems
 * from the API's error details, labelled inputs, version state tags.
 */
import {
  useEffect,
  useId,
  useMemo,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
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

/** A labelled control's props: its id is `${prefix}-${name}` (so ErrorSummary links reach it); the rest are the element's own attributes. */
type FieldProps<A> = {
  prefix: string;
  name: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  required?: boolean;
  help?: ReactNode;
} & Omit<A, 'id' | 'value' | 'onChange' | 'name'>;

/** The Field's props, and the control's: its id and value, invalid with an error, described by its help and error. */
function fieldParts<A>({ prefix, name, label, value, onChange, error, required, help, ...rest }: FieldProps<A>) {
  const id = `${prefix}-${name}`;
  const control = {
    id,
    value,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, help, error),
  } as const;
  return { field: { id, label, required, help, error }, control, rest };
}

/** A labelled input with its help and error. */
export function InputField(p: FieldProps<InputHTMLAttributes<HTMLInputElement>>) {
  const { field, control, rest } = fieldParts(p);
  return (
    <Field {...field}>
      <input {...control} name={p.name} aria-required={p.required || undefined} {...rest} />
    </Field>
  );
}

/** A labelled textarea with its help and error (unlike InputField, without a name or aria-required). */
export function TextAreaField(p: FieldProps<TextareaHTMLAttributes<HTMLTextAreaElement>>) {
  const { field, control, rest } = fieldParts(p);
  return (
    <Field {...field}>
      <textarea {...control} {...rest} />
    </Field>
  );
}

/** A labelled select of [value, label] options, after an empty one given a placeholder (like TextAreaField, no name). */
export function SelectField({
  options,
  placeholder,
  ...p
}: FieldProps<SelectHTMLAttributes<HTMLSelectElement>> & { options: readonly (readonly [string, string])[]; placeholder?: string }) {
  const { field, control, rest } = fieldParts(p);
  return (
    <Field {...field}>
      <select {...control} {...rest}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map(([k, l]) => (
          <option key={k} value={k}>
            {l}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A table row's 操作 cell: the action's button, or a dash where it cannot be taken (no onClick). */
export function ActionCell({ label, ariaLabel, onClick }: { label: string; ariaLabel: string; onClick?: () => void }) {
  return (
    <td data-label="操作">
      {onClick ? (
        <button type="button" className="btn small secondary" onClick={onClick} aria-label={ariaLabel}>
          {label}
        </button>
      ) : (
        <span className="muted">—</span>
      )}
    </td>
  );
}

const NO_LABELS: Record<string, string> = {};

/**
 * An admin form's values and the API's answer to it: `set(k)(value)` changes one value; `send`
 * runs the request (busy meanwhile) and keeps its field problems if it fails, through `remap` if
 * given. `errors` are the first problem per field, `shown` the problems labelled for an ErrorSummary.
 */
export function useAdminForm<V extends object>(
  initial: V | (() => V),
  labels: Record<string, string> = NO_LABELS,
  remap?: (p: FieldProblem) => FieldProblem,
) {
  const [v, setV] = useState<V>(initial);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const errors = byField(problems);
  const shown = useMemo(() => labelled(problems, labels), [problems, labels]);
  const set =
    <K extends keyof V>(k: K) =>
    (val: V[K]) =>
      setV((x) => ({ ...x, [k]: val }));
  const send = async (request: () => Promise<void>) => {
    setBusy(true);
    try {
      await request();
    } catch (err) {
      const p = problemsOf(err);
      setProblems(remap ? p.map(remap) : p);
    } finally {
      setBusy(false);
    }
  };
  return { v, setV, set, problems, setProblems, busy, errors, shown, send };
}
