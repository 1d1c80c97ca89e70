/**
 * 机构运行看板 (/staff/dashboard) for agency admins and supervisors (a system administrator picks
 * the agency): volume, on-time rate, handling time, backlog and overdue cases, 好差评 satisfaction
 * and open rectifications, complaints and appointment use, each with charts and tables that export
 * to CSV and XLSX. The filters (period, office, agency) live in the URL.
 */
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import type { DashboardOut, DashCell, DashColumn, DashKpi, DashPanel, DashTable } from '../../../../common/api-dashboard.ts';
import { addMonths, addNaturalDays, isValidDate } from '../../../../common/calendar.ts';
import { api, asApiError, fieldProblems, send, type AgencySummary, type UserOut } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link, navigate } from '../../lib/router.tsx';
import { todayChina } from '../../lib/format.ts';
import { Crumbs, ErrorBox } from '../../components/Layout.tsx';
import { Chart } from './Chart.tsx';
import { chartsFor } from './charts.ts';
import './dashboard.css';

const PATH = '/staff/dashboard';
const ROLES = ['agency_admin', 'supervisor', 'sysadmin'];

interface Filters {
  agency: string;
  from: string;
  to: string;
  office: string;
}

/** The query string for the filters (what the page keeps in its URL and the export links use). */
export function dashboardSearch(q: { agency?: string; from?: string; to?: string; office?: string | null }): string {
  const sp = new URLSearchParams();
  if (q.agency) sp.set('agency', q.agency);
  if (q.from) sp.set('from', q.from);
  if (q.to) sp.set('to', q.to);
  if (q.office) sp.set('office', q.office);
  return sp.toString();
}

function readFilters(search: string): Filters {
  const sp = new URLSearchParams(search);
  return { agency: sp.get('agency') ?? '', from: sp.get('from') ?? '', to: sp.get('to') ?? '', office: sp.get('office') ?? '' };
}

export function DashboardPage({ search }: { search: string }) {
  return (
    <RequireLogin staff>
      {(me) =>
        me.roles.some((r) => ROLES.includes(r)) ? (
          <Dashboard me={me} search={search} />
        ) : (
          <ErrorBox message="机构运行看板仅供机构管理员、监督人员查看。">
            <Link href="/staff">返回工作台</Link>
          </ErrorBox>
        )
      }
    </RequireLogin>
  );
}

type Load =
  | { status: 'loading'; data: DashboardOut | null }
  | { status: 'ok'; data: DashboardOut }
  | { status: 'error'; data: DashboardOut | null; error: unknown };

function Dashboard({ me, search }: { me: UserOut; search: string }) {
  const applied = useMemo(() => readFilters(search), [search]);
  const qs = dashboardSearch(applied);
  const [load, setLoad] = useState<Load>({ status: 'loading', data: null });
  const [draft, setDraft] = useState<Filters>(applied);
  const [errors, setErrors] = useState<Partial<Record<keyof Filters, string>>>({});
  const [agencies, setAgencies] = useState<AgencySummary[]>([]);
  const sysadmin = me.roles.includes('sysadmin');
  const fid = useId();

  useEffect(() => {
    document.title = '机构运行看板 · 工作台';
    if (sysadmin) api.agencies().then(setAgencies, () => setAgencies([]));
  }, [sysadmin]);

  useEffect(() => {
    let live = true;
    setLoad((l) => ({ status: 'loading', data: l.data }));
    send<DashboardOut>('GET', `/api/dashboard${qs ? `?${qs}` : ''}`).then(
      (data) => {
        if (!live) return;
        setLoad({ status: 'ok', data });
        setDraft({ agency: applied.agency, from: data.filters.from, to: data.filters.to, office: data.filters.office ?? '' });
        setErrors({});
      },
      (error: unknown) => {
        if (!live) return;
        setLoad((l) => ({ status: 'error', data: l.data, error }));
        const problems = fieldProblems(error);
        const byField: Partial<Record<keyof Filters, string>> = {};
        for (const p of problems) if (['agency', 'from', 'to', 'office'].includes(p.field)) byField[p.field as keyof Filters] = p.message;
        setErrors(byField);
      },
    );
    return () => {
      live = false;
    };
  }, [qs]);

  const go = (f: Filters) => {
    const problems: Partial<Record<keyof Filters, string>> = {};
    if (!isValidDate(f.from)) problems.from = '请填写开始日期（YYYY-MM-DD）。';
    if (!isValidDate(f.to)) problems.to = '请填写结束日期（YYYY-MM-DD）。';
    if (!problems.from && !problems.to && f.from > f.to) problems.to = '结束日期不能早于开始日期。';
    setErrors(problems);
    if (Object.keys(problems).length) {
      document.getElementById(`${fid}-${Object.keys(problems)[0]}`)?.focus();
      return;
    }
    const next = `${PATH}?${dashboardSearch(f)}`;
    if (next === location.pathname + location.search) return;
    navigate(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go(draft);
  };
  const today = load.data?.asOf ?? todayChina();
  const quick: [string, () => [string, string]][] = [
    ['本月', () => [`${today.slice(0, 8)}01`, today]],
    [
      '上月',
      () => {
        const first = addMonths(`${today.slice(0, 8)}01`, -1);
        return [first, addNaturalDays(`${today.slice(0, 8)}01`, -1)];
      },
    ],
    ['近30天', () => [addNaturalDays(today, -29), today]],
    ['本年', () => [`${today.slice(0, 4)}-01-01`, today]],
  ];

  const data = load.data;
  const exportQs = data
    ? dashboardSearch({ agency: sysadmin ? data.agency.code : undefined, from: data.filters.from, to: data.filters.to, office: data.filters.office })
    : '';
  const kpis = data ? data.panels.flatMap((p) => p.kpis.map((k) => ({ ...k, panel: p.key }))) : [];

  return (
    <section className="dash" aria-busy={load.status === 'loading'}>
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: '机构运行看板' }]} />
      <div className="page-head">
        <h1>机构运行看板</h1>
        {data && (
          <p className="muted small">
            {data.agency.name} · 统计期间 {data.filters.from} 至 {data.filters.to}
            {data.filters.officeName ? ` · ${data.filters.officeName}` : ''} · 数据日期 {data.asOf}
          </p>
        )}
      </div>

      <form className="panel dash-filters filters" onSubmit={submit} aria-label="看板筛选" noValidate>
        <div className="dash-filter-grid">
          {sysadmin && (
            <div className="field">
              <label htmlFor={`${fid}-agency`}>经办机构</label>
              <select id={`${fid}-agency`} value={draft.agency} onChange={(e) => setDraft({ ...draft, agency: e.target.value, office: '' })}>
                <option value="">本机构</option>
                {agencies.map((a) => (
                  <option key={a.code} value={a.code}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <DateField id={`${fid}-from`} label="开始日期" value={draft.from} error={errors.from} onChange={(v) => setDraft({ ...draft, from: v })} />
          <DateField id={`${fid}-to`} label="结束日期" value={draft.to} error={errors.to} onChange={(v) => setDraft({ ...draft, to: v })} />
          <div className={`field${errors.office ? ' has-error' : ''}`}>
            <label htmlFor={`${fid}-office`}>窗口</label>
            <select
              id={`${fid}-office`}
              value={draft.office}
              aria-describedby={errors.office ? `${fid}-office-err` : undefined}
              onChange={(e) => setDraft({ ...draft, office: e.target.value })}
            >
              <option value="">全部窗口</option>
              {(draft.agency === applied.agency ? (data?.offices ?? []) : []).map((o) => (
                <option key={o.id} value={String(o.id)}>
                  {o.name}
                </option>
              ))}
              <option value="none">未经窗口（网上、掌上等）</option>
            </select>
            {errors.office && (
              <p className="field-error" id={`${fid}-office-err`}>
                {errors.office}
              </p>
            )}
          </div>
        </div>
        <div className="dash-filter-actions">
          <button type="submit" className="btn">
            查询
          </button>
          <span className="dash-quick" role="group" aria-label="快速选择期间">
            {quick.map(([label, range]) => (
              <button
                key={label}
                type="button"
                className="btn small secondary"
                onClick={() => {
                  const [from, to] = range();
                  const f = { ...draft, from, to };
                  setDraft(f);
                  go(f);
                }}
              >
                {label}
              </button>
            ))}
          </span>
        </div>
      </form>

      {load.status === 'loading' && (
        <p className="muted" role="status">
          {data ? '正在更新…' : '正在加载…'}
        </p>
      )}
      {load.status === 'error' && <ErrorBox message={asApiError(load.error).message} />}
      {data?.calendar.warning && (
        <div className="notice warn" role="note">
          <p>{data.calendar.warning}</p>
          <p>
            <Link href={`/staff/calendar?region=${data.agency.regionCode}&year=${data.calendar.warningYear ?? Number(data.asOf.slice(0, 4)) + 1}`}>
              去工作日历页录入
            </Link>
          </p>
        </div>
      )}
      {data && data.calendar.notes.length > 0 && (
        <div className="panel warn-box" role="note">
          {data.calendar.notes.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      )}

      {data && (
        <>
          <h2 className="sr-only">主要指标</h2>
          <ul className="dash-kpis" aria-label="主要指标">
            {kpis.map((k) => (
              <Kpi key={`${k.panel}-${k.key}`} k={k} />
            ))}
          </ul>
          {data.panels.map((p) => (
            <Panel key={p.key} panel={p} exportQs={exportQs} />
          ))}
        </>
      )}
    </section>
  );
}

function DateField({
  id,
  label,
  value,
  error,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  error?: string;
  onChange: (v: string) => void;
}) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="date"
        value={value}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <p className="field-error" id={`${id}-err`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function fmtCell(v: DashCell, type: DashColumn['type']): string {
  if (v === null || v === undefined || v === '') return type === 'text' ? '' : '—';
  if (typeof v === 'string') return v;
  if (type === 'percent') return `${v.toFixed(1)}%`;
  if (type === 'decimal') return v.toFixed(2);
  return String(v);
}

function fmtKpi(k: DashKpi): string {
  if (k.value === null) return '—';
  if (k.type === 'percent') return `${k.value.toFixed(1)}%`;
  if (k.type === 'decimal') return k.value.toFixed(2);
  return String(k.value);
}

function Kpi({ k }: { k: DashKpi }) {
  return (
    <li className={`dash-kpi dash-kpi-${k.key}`}>
      <span className="dash-kpi-label">{k.label}</span>
      <span className="dash-kpi-value">
        {fmtKpi(k)}
        {k.value !== null && k.type !== 'percent' && <span className="dash-kpi-unit">{k.unit}</span>}
      </span>
      {k.note && <span className="dash-kpi-note">{k.note}</span>}
    </li>
  );
}

function Panel({ panel, exportQs }: { panel: DashPanel; exportQs: string }) {
  const charts = useMemo(() => chartsFor(panel), [panel]);
  const hid = `dash-${panel.key}`;
  return (
    <section className="panel dash-panel" aria-labelledby={hid}>
      <h2 id={hid}>{panel.title}</h2>
      <details className="dash-def">
        <summary>统计口径</summary>
        <p>{panel.description}</p>
      </details>
      {charts.length > 0 && (
        <div className="dash-charts">
          {charts.map((c) => (
            <figure key={c.key} className="dash-figure">
              <figcaption>{c.title}</figcaption>
              <Chart option={c.option} label={c.label} height={c.height} />
            </figure>
          ))}
        </div>
      )}
      <div className="dash-tables">
        {panel.tables.map((t) => (
          <DataTable key={t.key} panel={panel} table={t} exportQs={exportQs} />
        ))}
      </div>
    </section>
  );
}

function DataTable({ panel, table, exportQs }: { panel: DashPanel; table: DashTable; exportQs: string }) {
  const href = (ext: string) => `/api/dashboard/${table.key}.${ext}${exportQs ? `?${exportQs}` : ''}`;
  const name = `${panel.title}·${table.title}`;
  return (
    <div className={`dash-table${table.columns.length >= 4 ? ' wide' : ''}`} data-table={table.key}>
      <div className="dash-table-head">
        <h3>{table.title}</h3>
        <span className="dash-exports">
          <a className="btn small secondary" href={href('csv')} download>
            导出 CSV<span className="sr-only">：{name}</span>
          </a>
          <a className="btn small secondary" href={href('xlsx')} download>
            导出 Excel<span className="sr-only">：{name}</span>
          </a>
        </span>
      </div>
      {table.note && <p className="muted small">{table.note}</p>}
      <div className="table-wrap" role="region" aria-label={name} tabIndex={0}>
        <table>
          <caption className="sr-only">{name}</caption>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c.key} scope="col" className={c.type === 'text' || c.type === 'date' ? undefined : 'num'}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.length === 0 && (
              <tr>
                <td colSpan={table.columns.length} className="muted">
                  无数据
                </td>
              </tr>
            )}
            {table.rows.map((r, i) => (
              <tr key={i}>
                {table.columns.map((c, j) => {
                  const text = fmtCell(r[c.key] ?? null, c.type);
                  const cls = c.type === 'text' ? 'txt' : c.type === 'date' ? 'nowrap' : 'num';
                  if (c.key === 'caseNo' && typeof r.caseId === 'number')
                    return (
                      <td key={c.key} className="mono nowrap">
                        <Link href={`/staff/cases/${r.caseId}`}>{text || `#${r.caseId}`}</Link>
                      </td>
                    );
                  return j === 0 ? (
                    <th key={c.key} scope="row" className={cls}>
                      {text}
                    </th>
                  ) : (
                    <td key={c.key} className={cls}>
                      {text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
          {table.totals && table.rows.length > 0 && (
            <tfoot>
              <tr>
                {table.columns.map((c, j) =>
                  j === 0 ? (
                    <th key={c.key} scope="row">
                      {fmtCell(table.totals![c.key] ?? null, c.type)}
                    </th>
                  ) : (
                    <td key={c.key} className={c.type === 'text' ? undefined : 'num'}>
                      {fmtCell(table.totals![c.key] ?? null, c.type)}
                    </td>
                  ),
                )}
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </div>
  );
}
