/**
 * 好差评与投诉 supervisor desk: 差评整改 by deadline, 申诉 awaiting a decision, 投诉 by answer
 * deadline, and the agency's deadline settings. Filters live in the URL so a view can be shared.
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { asApiError, type UserOut } from '../../lib/api.ts';
import { useLoad, type Load } from '../../lib/useLoad.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link, navigate } from '../../lib/router.tsx';
import { fmtDateTime } from '../../lib/format.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Tabs } from '../../components/Tabs.tsx';
import { Notice } from '../../components/Form.tsx';
import {
  APPEAL_LABELS,
  APPEAL_STATES,
  COMPLAINT_CHANNEL_LABELS,
  COMPLAINT_LABELS,
  COMPLAINT_STATES,
  COMPLAINT_SUBJECT_LABELS,
  MAX_FEEDBACK_DAYS,
  RECTIFICATION_LABELS,
  RECTIFICATION_STATES,
} from '../../../../common/feedback.ts';
import { dueClass, dueText, feedbackApi, type FeedbackSettings } from './api.ts';
import './feedback.css';

const TABS = [
  { key: 'rect', label: '差评整改' },
  { key: 'appeals', label: '申诉' },
  { key: 'complaints', label: '投诉' },
  { key: 'settings', label: '期限设置' },
] as const;
type Tab = (typeof TABS)[number]['key'];
const DESK = ['supervisor', 'agency_admin'];

export function FeedbackDeskPage({ search }: { search: string }) {
  return <RequireLogin staff>{(me) => <Desk me={me} search={search} />}</RequireLogin>;
}

function Desk({ me, search }: { me: UserOut; search: string }) {
  const sp = new URLSearchParams(search);
  const tab = (TABS.find((t) => t.key === sp.get('tab'))?.key ?? 'rect') as Tab;
  const tid = useId();
  const [offices, setOffices] = useState<Offices>([]);
  useEffect(() => {
    document.title = '好差评与投诉 · 工作台';
    feedbackApi.offices().then(
      (r) => setOffices(r.items),
      () => setOffices([]),
    );
  }, []);
  const desk = me.roles.some((r) => DESK.includes(r));
  const go = (next: Tab) => navigate(`/staff/feedback?tab=${next}`);
  return (
    <section className="staff fb-desk">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: '好差评与投诉' }]} />
      <div className="page-head">
        <h1>好差评与投诉</h1>
        <div className="actions-row">
          <Link className="btn primary" href="/staff/feedback/complaints/new">
            登记电话投诉
          </Link>
        </div>
      </div>
      {!desk ? (
        <Notice kind="info" focus={false}>
          差评整改、申诉裁决和投诉答复由监督人员和机构管理员办理。您可以在这里登记来电投诉。
        </Notice>
      ) : (
        <>
          <Tabs
            tabs={TABS}
            selected={tab}
            onSelect={go}
            label="督办类别"
            className="tabs fb-tabs"
            tabId={(k) => `${tid}-tab-${k}`}
            panelId={`${tid}-panel`}
          />
          <div role="tabpanel" id={`${tid}-panel`} aria-labelledby={`${tid}-tab-${tab}`} className="panel fb-panel">
            {tab === 'rect' && <Rectifications sp={sp} offices={offices} />}
            {tab === 'appeals' && <Appeals sp={sp} />}
            {tab === 'complaints' && <Complaints sp={sp} offices={offices} />}
            {tab === 'settings' && <Settings canEdit={me.roles.includes('agency_admin')} />}
          </div>
        </>
      )}
    </section>
  );
}

/** Filters kept in the URL (?tab=…&status=…): applying one navigates, the list reloads from it. */
function useFilters(sp: URLSearchParams, tab: Tab, keys: readonly string[]) {
  const current = Object.fromEntries(keys.map((k) => [k, sp.get(k) ?? '']));
  const [draft, setDraft] = useState<Record<string, string>>(current);
  const key = keys.map((k) => sp.get(k) ?? '').join('|');
  useEffect(() => setDraft(Object.fromEntries(keys.map((k) => [k, sp.get(k) ?? '']))), [key]);
  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    const q = new URLSearchParams({ tab });
    for (const [k, v] of Object.entries(draft)) if (v) q.set(k, v);
    navigate(`/staff/feedback?${q}`);
  };
  const reset = () => navigate(`/staff/feedback?tab=${tab}`);
  return { current, draft, set: (k: string, v: string) => setDraft((d) => ({ ...d, [k]: v })), apply, reset, key };
}

type Filters = ReturnType<typeof useFilters>;
type Offices = { id: number; name: string }[];

/** A tab's filter form: its fields, then 筛选 (apply) and 清除 (reset). */
function FilterForm({ f, label, children }: { f: Filters; label: string; children: ReactNode }) {
  return (
    <form className="fb-filters no-print" onSubmit={f.apply} aria-label={label}>
      {children}
      <div className="actions-row">
        <button type="submit" className="btn primary small">
          筛选
        </button>
        <button type="button" className="btn secondary small" onClick={f.reset}>
          清除
        </button>
      </div>
    </form>
  );
}

/** A select for the filter `name`. */
function Select({ f, name, id, label, options }: { f: Filters; name: string; id: string; label: string; options: [string, string][] }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={f.draft[name]!} onChange={(e) => f.set(name, e.target.value)}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

function OfficeSelect({ f, id, offices }: { f: Filters; id: string; offices: Offices }) {
  return (
    <Select
      f={f}
      name="officeId"
      id={id}
      label="服务大厅"
      options={[['', '全部'], ...offices.map((o) => [String(o.id), o.name] as [string, string])]}
    />
  );
}

function OverdueOnly({ f }: { f: Filters }) {
  return (
    <label className="opt">
      <input type="checkbox" checked={f.draft.overdue === '1'} onChange={(e) => f.set('overdue', e.target.checked ? '1' : '')} />
      仅超期
    </label>
  );
}

/** A tab's list: loading, its error (with retry), or the table of `columns` with one row per item (`empty` when none). */
function ListTable<T>({
  list,
  columns,
  empty,
  row,
}: {
  list: Load<{ items: T[]; total: number }>;
  columns: string[];
  empty: string;
  row: (item: T) => ReactNode;
}) {
  return (
    <>
      {list.error && <ErrorBox message={list.error.message} retry={() => void list.reload()} />}
      {!list.data && !list.error && <Loading />}
      {list.data && (
        <div className="fb-table-wrap">
          <table className="fb-table">
            <caption>共 {list.data.total} 件</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {list.data.items.length === 0 && (
                <tr>
                  <td colSpan={columns.length} className="muted">
                    {empty}
                  </td>
                </tr>
              )}
              {list.data.items.map((x) => row(x))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** The deadline cell of a 整改 or a 投诉: ⚠ when overdue, coloured as it nears. */
function DueCell({ t, children }: { t: Parameters<typeof dueClass>[0]; children: ReactNode }) {
  return (
    <td data-label="期限">
      <span className={dueClass(t)}>
        {t.overdue && <span aria-hidden="true">⚠ </span>}
        {children}
      </span>
    </td>
  );
}

// ---- 差评整改 ----
function Rectifications({ sp, offices }: { sp: URLSearchParams; offices: Offices }) {
  const f = useFilters(sp, 'rect', ['status', 'officeId', 'level', 'overdue', 'q']);
  const list = useLoad(() => feedbackApi.rectifications(f.current), [f.key]);
  const fid = useId();
  return (
    <>
      <h2 className="sr-only">差评整改</h2>
      <p className="muted small">差评（不满意、非常不满意）自动生成整改任务，按整改期限先后排列。期限按本机构工作日历计算。</p>
      <FilterForm f={f} label="筛选整改任务">
        <Select
          f={f}
          name="status"
          id={`${fid}-st`}
          label="状态"
          options={[['', '未办结'], ...RECTIFICATION_STATES.map((s) => [s, RECTIFICATION_LABELS[s]] as [string, string]), ['all', '全部']]}
        />
        <OfficeSelect f={f} id={`${fid}-of`} offices={offices} />
        <Select
          f={f}
          name="level"
          id={`${fid}-lv`}
          label="评价"
          options={[
            ['', '全部差评'],
            ['2', '不满意'],
            ['1', '非常不满意'],
          ]}
        />
        <div className="field">
          <label htmlFor={`${fid}-q`}>办件编号或事项</label>
          <input id={`${fid}-q`} type="search" maxLength={40} value={f.draft.q} onChange={(e) => f.set('q', e.target.value)} />
        </div>
        <OverdueOnly f={f} />
      </FilterForm>
      <ListTable
        list={list}
        columns={['整改期限', '办件 / 事项', '评价', '经办人 / 大厅', '状态']}
        empty="没有符合条件的整改任务。"
        row={(r) => (
          <tr key={r.id} className={r.overdue ? 'overdue' : undefined}>
            <DueCell t={r}>{r.status === 'open' || r.status === 'in_progress' ? dueText(r) : (r.dueDate ?? '—')}</DueCell>
            <td data-label="办件">
              <Link href={`/staff/feedback/rectifications/${r.id}`} className="mono">
                {r.caseNo ?? (r.subjectKind === 'visit' ? '大厅服务评价' : `#${r.id}`)}
              </Link>
              <br />
              <span className="small">{r.itemName}</span>
            </td>
            <td data-label="评价">
              <span className={`fb-badge lv${r.level}`}>{r.levelLabel}</span>
              <br />
              <span className="small fb-clip">{r.comment}</span>
            </td>
            <td data-label="经办人">
              {r.handlerName ?? '—'}
              {r.officeName && (
                <>
                  <br />
                  <span className="small muted">{r.officeName}</span>
                </>
              )}
            </td>
            <td data-label="状态">
              <span className={`status fb-st-${r.status}`}>{r.statusLabel}</span>
              {r.appealStatus && <span className="small muted"> · 申诉{APPEAL_LABELS[r.appealStatus].replace('申诉', '')}</span>}
            </td>
          </tr>
        )}
      />
    </>
  );
}

// ---- 申诉 ----
function Appeals({ sp }: { sp: URLSearchParams }) {
  const f = useFilters(sp, 'appeals', ['status']);
  const list = useLoad(() => feedbackApi.appeals({ status: f.current.status || 'pending' }), [f.key]);
  const fid = useId();
  return (
    <>
      <h2 className="sr-only">申诉</h2>
      <p className="muted small">
        本机构对差评提出的误评、恶意差评申诉。由监督人员裁决，被评价的经办人本人不能裁决；申诉成立的评价保留记录但不计入满意度。
      </p>
      <FilterForm f={f} label="筛选申诉">
        <Select
          f={f}
          name="status"
          id={`${fid}-st`}
          label="状态"
          options={[
            ['', '待裁决'],
            ...APPEAL_STATES.filter((s) => s !== 'pending').map((s) => [s, APPEAL_LABELS[s]] as [string, string]),
            ['all', '全部'],
          ]}
        />
      </FilterForm>
      <ListTable
        list={list}
        columns={['提出时间', '办件 / 评价', '申诉', '经办人', '状态']}
        empty="没有符合条件的申诉。"
        row={(a) => (
          <tr key={a.id}>
            <td data-label="提出">{fmtDateTime(a.filedAt)}</td>
            <td data-label="办件">
              {a.rectificationId ? (
                <Link href={`/staff/feedback/rectifications/${a.rectificationId}`} className="mono">
                  {a.caseNo ?? `评价 #${a.ratingId}`}
                </Link>
              ) : (
                (a.caseNo ?? `评价 #${a.ratingId}`)
              )}
              <br />
              <span className={`fb-badge lv${a.level}`}>{a.levelLabel}</span>
            </td>
            <td data-label="申诉">
              <strong>{a.kindLabel}</strong>：<span className="small">{a.reason}</span>
              <br />
              <span className="small muted">{a.filedByName} 提出</span>
            </td>
            <td data-label="经办人">{a.handlerName ?? '—'}</td>
            <td data-label="状态">
              <span className={`status fb-ap-${a.status}`}>{a.statusLabel}</span>
              {a.decidedByName && <span className="small muted"> · {a.decidedByName}</span>}
            </td>
          </tr>
        )}
      />
    </>
  );
}

// ---- 投诉 ----
function Complaints({ sp, offices }: { sp: URLSearchParams; offices: Offices }) {
  const f = useFilters(sp, 'complaints', ['status', 'subject', 'channel', 'officeId', 'overdue']);
  const list = useLoad(() => feedbackApi.complaints(f.current), [f.key]);
  const fid = useId();
  return (
    <>
      <h2 className="sr-only">投诉</h2>
      <p className="muted small">网上投诉和来电投诉，按答复期限先后排列。</p>
      <FilterForm f={f} label="筛选投诉">
        <Select
          f={f}
          name="status"
          id={`${fid}-st`}
          label="状态"
          options={[['', '未答复'], ...COMPLAINT_STATES.map((s) => [s, COMPLAINT_LABELS[s]] as [string, string]), ['all', '全部']]}
        />
        <Select f={f} name="subject" id={`${fid}-sb`} label="投诉对象" options={[['', '全部'], ...Object.entries(COMPLAINT_SUBJECT_LABELS)]} />
        <Select f={f} name="channel" id={`${fid}-ch`} label="渠道" options={[['', '全部'], ...Object.entries(COMPLAINT_CHANNEL_LABELS)]} />
        <OfficeSelect f={f} id={`${fid}-of`} offices={offices} />
        <OverdueOnly f={f} />
      </FilterForm>
      <ListTable
        list={list}
        columns={['答复期限', '投诉编号', '对象', '投诉人 / 渠道', '状态']}
        empty="没有符合条件的投诉。"
        row={(c) => (
          <tr key={c.id} className={c.overdue ? 'overdue' : undefined}>
            <DueCell t={c}>{c.status === 'answered' ? `已于 ${fmtDateTime(c.answeredAt)} 答复` : dueText(c)}</DueCell>
            <td data-label="编号">
              <Link href={`/staff/feedback/complaints/${c.id}`} className="mono">
                {c.complaintNo}
              </Link>
            </td>
            <td data-label="对象">
              {c.subjectLabel}
              {c.caseNo ? `：${c.caseNo}` : c.personName ? `：${c.personName}` : c.officeName ? `：${c.officeName}` : ''}
              <br />
              <span className="small fb-clip">{c.content}</span>
            </td>
            <td data-label="投诉人">
              {c.complainantName}
              <br />
              <span className="small muted">{c.channelLabel}</span>
            </td>
            <td data-label="状态">
              <span className={`status fb-st-${c.status}`}>{c.statusLabel}</span>
            </td>
          </tr>
        )}
      />
    </>
  );
}

// ---- 期限设置 ----
function Settings({ canEdit }: { canEdit: boolean }) {
  const [s, setS] = useState<FeedbackSettings | null>(null);
  const [form, setForm] = useState({ rectifyDays: '', complaintDays: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fid = useId();
  useEffect(() => {
    feedbackApi.settings().then(
      (x) => {
        setS(x);
        setForm({ rectifyDays: String(x.rectifyDays), complaintDays: String(x.complaintDays) });
      },
      (e) => setMsg({ kind: 'error', text: asApiError(e).message }),
    );
  }, []);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    for (const k of ['rectifyDays', 'complaintDays'] as const) {
      const n = Number(form[k]);
      if (!Number.isInteger(n) || n < 1 || n > MAX_FEEDBACK_DAYS) errs[k] = `请填写 1–${MAX_FEEDBACK_DAYS} 的整数。`;
    }
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const x = await feedbackApi.saveSettings({ rectifyDays: Number(form.rectifyDays), complaintDays: Number(form.complaintDays) });
      setS(x);
      setMsg({ kind: 'ok', text: '已保存。新的期限用于此后产生的整改任务和投诉；已有任务的期限不变。' });
    } catch (err) {
      setMsg({ kind: 'error', text: asApiError(err).message });
    } finally {
      setBusy(false);
    }
  };
  if (!s) return msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : <Loading />;
  return (
    <>
      <h2 className="sr-only">期限设置</h2>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <p>
        {s.isDefault ? (
          <>
            本机构尚未设置，正在使用<strong>平台默认值</strong>：差评整改 {s.defaults.rectifyDays} 个工作日、投诉答复 {s.defaults.complaintDays}{' '}
            个工作日。各机构的办事指南均未载明这两个期限，默认值不是指南数据。
          </>
        ) : (
          <>
            本机构的期限：差评整改 {s.rectifyDays} 个工作日、投诉答复 {s.complaintDays} 个工作日（平台默认值为 {s.defaults.rectifyDays} 和{' '}
            {s.defaults.complaintDays}）。
            {s.updatedAt && <span className="muted small"> 最后修改：{fmtDateTime(s.updatedAt)}</span>}
          </>
        )}
      </p>
      <form className="fb-settings" onSubmit={save} noValidate aria-label="期限设置">
        {(
          [
            ['rectifyDays', '差评整改期限（工作日）'],
            ['complaintDays', '投诉答复期限（工作日）'],
          ] as const
        ).map(([k, label]) => (
          <div key={k} className={`field${errors[k] ? ' has-error' : ''}`}>
            <label htmlFor={`${fid}-${k}`}>{label}</label>
            <input
              id={`${fid}-${k}`}
              type="text"
              inputMode="numeric"
              value={form[k]}
              disabled={!canEdit}
              onChange={(e) => setForm((x) => ({ ...x, [k]: e.target.value.trim() }))}
              aria-invalid={errors[k] ? true : undefined}
              aria-describedby={errors[k] ? `${fid}-${k}-err` : undefined}
            />
            {errors[k] && (
              <p className="field-error" id={`${fid}-${k}-err`}>
                {errors[k]}
              </p>
            )}
          </div>
        ))}
        {canEdit ? (
          <div className="actions-row">
            <button type="submit" className="btn primary" disabled={busy}>
              保存
            </button>
          </div>
        ) : (
          <p className="muted small">由机构管理员设置。</p>
        )}
      </form>
    </>
  );
}
