/** 工作台: the FIFO queue with filters, saved filters, bulk claim/start review and paging. */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, asApiError, type BulkOut, type CaseList, type ItemOut, type SavedFilter, type UserOut } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { CHANNEL_LABELS, fmtDateTime } from '../../lib/format.ts';
import { STAFF_ROLE_LABELS, STATE_LABELS, type CaseState } from '../../../../common/workflow.ts';
import { ErrorBox, Loading } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';
import { ReasonDialog } from '../../components/Dialog.tsx';
import { EmergencyStaffLinks } from '../emergency/StaffLinks.tsx';
import { Deadline, StatusBadge } from '../cases/parts.tsx';
import { DueDate } from '../../components/DateText.tsx';

type Filters = { status: string; item: string; channel: string; dueBefore: string; overdue: string; mine: string; unassigned: string; q: string };
const EMPTY: Filters = { status: '', item: '', channel: '', dueBefore: '', overdue: '', mine: '', unassigned: '', q: '' };
const STATES = (Object.keys(STATE_LABELS) as CaseState[]).filter((s) => s !== 'draft');
const PAGE_SIZE = 50;
const OP_LABEL = { claim: '认领', start_review: '开始审核' } as const;

export function QueuePage() {
  return <RequireLogin staff>{(me) => <Queue me={me} />}</RequireLogin>;
}

function Queue({ me }: { me: UserOut }) {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<CaseList | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const [items, setItems] = useState<ItemOut[]>([]);
  const [saved, setSaved] = useState<SavedFilter[]>([]);
  const [filterName, setFilterName] = useState('');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [bulk, setBulk] = useState<{ op: 'claim' | 'start_review'; out: BulkOut } | null>(null);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [reasonFor, setReasonFor] = useState<{ op: 'claim' | 'start_review'; ids: number[] } | null>(null);
  const fid = useId();
  const [filtersOpen, setFiltersOpen] = useState(() => window.matchMedia('(min-width: 700px)').matches);
  const activeCount = Object.values(applied).filter(Boolean).length;
  const tableRef = useRef<HTMLDivElement>(null);

  const load = useCallback(async (f: Filters, p: number) => {
    setLoading(true);
    try {
      setData(await api.queue({ ...f, page: String(p), pageSize: String(PAGE_SIZE) }));
      setError('');
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load(applied, page);
  }, [applied, page, load]);
  useEffect(() => {
    document.title = '工作台 · 待办队列';
    if (me.agencyCode) api.items(me.agencyCode).then(setItems, () => setItems([]));
    api.filters().then(
      (r) => setSaved(r.items),
      () => setSaved([]),
    );
  }, [me.agencyCode]);

  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    setSelected(new Set());
    setBulk(null);
    setPage(1);
    setApplied({ ...draft });
  };
  const reset = () => {
    setDraft(EMPTY);
    setApplied(EMPTY);
    setPage(1);
  };
  const set = (k: keyof Filters, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const statuses = new Set(draft.status ? draft.status.split(',') : []);
  const toggleStatus = (s: string) => {
    const n = new Set(statuses);
    if (n.has(s)) n.delete(s);
    else n.add(s);
    set('status', STATES.filter((x) => n.has(x)).join(','));
  };

  const saveFilter = async () => {
    if (!filterName.trim()) return setMsg({ kind: 'error', text: '请先为筛选起个名字。' });
    try {
      const f = await api.saveFilter(filterName.trim(), Object.fromEntries(Object.entries(draft).filter(([, v]) => v)));
      setSaved((s) => [...s, f]);
      setFilterName('');
      setMsg({ kind: 'ok', text: `已保存筛选“${f.name}”。` });
    } catch (e) {
      setMsg({ kind: 'error', text: asApiError(e).message });
    }
  };
  const applySaved = (f: SavedFilter) => {
    const next = { ...EMPTY, ...f.filters };
    setDraft(next);
    setApplied(next);
    setPage(1);
    setSelected(new Set());
  };
  const removeFilter = async (f: SavedFilter) => {
    try {
      await api.deleteFilter(f.id);
      setSaved((s) => s.filter((x) => x.id !== f.id));
      setMsg({ kind: 'ok', text: `已删除筛选“${f.name}”。` });
    } catch (e) {
      setMsg({ kind: 'error', text: asApiError(e).message });
    }
  };

  const runBulk = async (op: 'claim' | 'start_review', ids: number[], reason?: string) => {
    if (!ids.length) return setMsg({ kind: 'error', text: '请先勾选办件。' });
    setBusy(true);
    setMsg(null);
    try {
      const out = await api.bulk({ ids, op, reason });
      setBulk({ op, out });
      setSelected(new Set(out.results.filter((r) => !r.ok).map((r) => r.id)));
      await load(applied, page);
    } catch (e) {
      setMsg({ kind: 'error', text: asApiError(e).message });
    } finally {
      setBusy(false);
      setReasonFor(null);
    }
  };

  const rows = data?.items ?? [];
  const allChecked = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const toggle = (id: number) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  // A capped count ("1000+"): one page more is always offered.
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE) + (data.totalCapped ? 1 : 0)) : 1;
  const caseNoOf = (id: number) => rows.find((r) => r.id === id)?.caseNo ?? `#${id}`;
  const needReason = bulk?.out.results.filter((r) => r.code === 'OUT_OF_TURN_REASON_REQUIRED').map((r) => r.id) ?? [];
  const canRegister = me.roles.some((r) => r === 'acceptor' || r === 'agency_admin');
  const canReport = me.roles.some((r) => r === 'supervisor' || r === 'agency_admin');
  const isAdmin = me.roles.some((r) => r === 'sysadmin' || r === 'agency_admin');

  return (
    <section className="staff">
      <div className="page-head">
        <h1>工作台 · 待办队列</h1>
        <p className="muted small">
          {me.name}（{me.roles.map((r) => STAFF_ROLE_LABELS[r]).join('、') || '工作人员'}）
        </p>
        <div className="actions-row">
          {canRegister && (
            <Link className="btn primary" href="/staff/register">
              代为登记
            </Link>
          )}
          {(canReport || me.roles.includes('sysadmin')) && (
            <Link className="btn secondary" href="/staff/dashboard">
              机构运行看板
            </Link>
          )}
          {canReport && (
            <Link className="btn secondary" href="/staff/out-of-turn">
              不按顺序办理报告
            </Link>
          )}
          <Link className="btn secondary" href="/staff/persons">
            参保人档案
          </Link>
          {(me.roles.includes('acceptor') || me.roles.includes('agency_admin')) && (
            <Link className="btn secondary" href="/staff/identity">
              窗口核验账号
            </Link>
          )}
          <Link className="btn secondary" href="/staff/transfers">
            转移接续
          </Link>
          {me.roles.some((r) => r === 'acceptor' || r === 'agency_admin') && (
            <Link className="btn secondary" href="/staff/unit-clerks">
              单位经办人审核
            </Link>
          )}
          <Link className="btn secondary" href="/staff/hall">
            大厅签到
          </Link>
          {me.roles.includes('agency_admin') && (
            <Link className="btn secondary" href="/staff/appointments">
              预约设置
            </Link>
          )}
          {isAdmin && (
            <Link className="btn secondary" href="/staff/calendar">
              工作日历
            </Link>
          )}
          <EmergencyStaffLinks roles={me.roles} />
        </div>
      </div>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}

      <details className="panel filters-toggle" open={filtersOpen} onToggle={(e) => setFiltersOpen(e.currentTarget.open)}>
        <summary>筛选条件{activeCount ? `（已设 ${activeCount} 项）` : ''}</summary>
        <form className="filters" onSubmit={apply} aria-label="筛选办件">
          <fieldset className="status-set">
            <legend>状态（不选则显示本岗位待办）</legend>
            {STATES.map((s) => (
              <label key={s} className="opt">
                <input type="checkbox" checked={statuses.has(s)} onChange={() => toggleStatus(s)} />
                {STATE_LABELS[s]}
              </label>
            ))}
          </fieldset>
          <div className="filter-grid">
            <div className="field">
              <label htmlFor={`${fid}-q`}>办件编号或申请人</label>
              <input id={`${fid}-q`} type="search" value={draft.q} maxLength={50} onChange={(e) => set('q', e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={`${fid}-item`}>事项</label>
              <select id={`${fid}-item`} value={draft.item} onChange={(e) => set('item', e.target.value)}>
                <option value="">全部事项</option>
                {items.map((i) => (
                  <option key={i.code} value={i.code}>
                    {i.code} {i.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${fid}-ch`}>渠道</label>
              <select id={`${fid}-ch`} value={draft.channel} onChange={(e) => set('channel', e.target.value)}>
                <option value="">全部渠道</option>
                {Object.entries(CHANNEL_LABELS).map(([k, v]) => (
                  <option key={k} value={k}>
                    {v}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${fid}-due`}>到期日之前（含）</label>
              <input id={`${fid}-due`} type="date" value={draft.dueBefore} onChange={(e) => set('dueBefore', e.target.value)} />
            </div>
          </div>
          <div className="checks">
            {(
              [
                ['overdue', '仅超期'],
                ['mine', '仅我的'],
                ['unassigned', '未认领'],
              ] as const
            ).map(([k, label]) => (
              <label key={k} className="opt">
                <input type="checkbox" checked={draft[k] === '1'} onChange={(e) => set(k, e.target.checked ? '1' : '')} />
                {label}
              </label>
            ))}
          </div>
          <div className="actions-row">
            <button type="submit" className="btn primary">
              筛选
            </button>
            <button type="button" className="btn secondary" onClick={reset}>
              清除筛选
            </button>
          </div>
          <div className="saved-filters">
            <div className="inline-field">
              <label htmlFor={`${fid}-name`}>保存当前筛选为</label>
              <input
                id={`${fid}-name`}
                value={filterName}
                maxLength={40}
                onChange={(e) => setFilterName(e.target.value)}
                placeholder="如：本周到期"
              />
              <button type="button" className="btn secondary" onClick={saveFilter}>
                保存
              </button>
            </div>
            {saved.length > 0 && (
              <ul className="chips" aria-label="已保存的筛选">
                {saved.map((f) => (
                  <li key={f.id}>
                    <button type="button" className="chip" onClick={() => applySaved(f)}>
                      {f.name}
                    </button>
                    <button type="button" className="chip-x" onClick={() => removeFilter(f)} aria-label={`删除筛选“${f.name}”`}>
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </form>
      </details>

      <div className="bulk-bar" role="group" aria-label="批量操作">
        <span>已选 {selected.size} 件</span>
        <button type="button" className="btn secondary" disabled={busy || selected.size === 0} onClick={() => runBulk('claim', [...selected])}>
          批量认领
        </button>
        <button type="button" className="btn secondary" disabled={busy || selected.size === 0} onClick={() => runBulk('start_review', [...selected])}>
          批量开始审核
        </button>
      </div>
      {bulk && (
        <Notice kind={bulk.out.results.every((r) => r.ok) ? 'ok' : 'error'}>
          <p>
            批量{OP_LABEL[bulk.op]}：成功 {bulk.out.results.filter((r) => r.ok).length} 件，未成功 {bulk.out.results.filter((r) => !r.ok).length} 件。
          </p>
          <ul className="bulk-results">
            {bulk.out.results.map((r) => (
              <li key={r.id} className={r.ok ? 'ok' : 'bad'}>
                {caseNoOf(r.id)}：{r.ok ? '成功' : r.message}
              </li>
            ))}
          </ul>
          {needReason.length > 0 && (
            <button type="button" className="btn secondary" onClick={() => setReasonFor({ op: bulk.op, ids: needReason })}>
              填写理由后重试（{needReason.length} 件）
            </button>
          )}
        </Notice>
      )}

      {error && <ErrorBox message={error} retry={() => load(applied, page)} />}
      {loading && !data && <Loading />}
      {data && (
        <div className="table-wrap" ref={tableRef}>
          <table className="queue">
            <caption>
              共 {data.total}
              {data.totalCapped ? '+' : ''} 件（按先后顺序排列）{loading ? ' · 正在刷新…' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label="全选本页"
                    checked={allChecked}
                    onChange={() => setSelected(allChecked ? new Set() : new Set(rows.map((r) => r.id)))}
                  />
                </th>
                <th scope="col">办件编号</th>
                <th scope="col">事项</th>
                <th scope="col">申请人</th>
                <th scope="col">状态</th>
                <th scope="col">渠道</th>
                <th scope="col">排队时间</th>
                <th scope="col">到期</th>
                <th scope="col">经办人</th>
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 && (
                <tr>
                  <td colSpan={9} className="muted">
                    没有符合条件的办件。
                  </td>
                </tr>
              )}
              {rows.map((r) => (
                <tr key={r.id} className={r.overdue ? 'overdue' : undefined}>
                  <td className="pick">
                    <input type="checkbox" checked={selected.has(r.id)} onChange={() => toggle(r.id)} aria-label={`选择 ${r.caseNo ?? r.id}`} />
                  </td>
                  <td data-label="办件编号" className="mono nowrap">
                    <Link href={`/staff/cases/${r.id}`}>{r.caseNo ?? `#${r.id}`}</Link>
                  </td>
                  <td data-label="事项">{r.itemName}</td>
                  <td data-label="申请人" className="nowrap">
                    {r.applicantName}
                  </td>
                  <td data-label="状态">
                    <StatusBadge status={r.status} label={r.statusLabel} />
                  </td>
                  <td data-label="渠道" className="nowrap">
                    {r.channelLabel}
                  </td>
                  <td data-label="排队时间" className="nowrap">
                    {fmtDateTime(r.queuedAt ?? r.submittedAt)}
                  </td>
                  <td className="nowrap" data-label="到期">
                    <DueDate date={r.dueDate} provisional={r.dueProvisional} />
                    <br />
                    <Deadline c={r} />
                  </td>
                  <td data-label="经办人" className="nowrap">
                    {r.assigneeName ?? <span className="muted">未认领</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && pages > 1 && (
        <nav className="pager" aria-label="分页">
          <button type="button" className="btn secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            上一页
          </button>
          <span>
            第 {page} / {pages} 页
          </span>
          <button type="button" className="btn secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            下一页
          </button>
        </nav>
      )}
      <ReasonDialog
        open={reasonFor !== null}
        title="不按先后顺序办理"
        intro={<p>所选办件前面还有更早的同类办件。不按先后顺序办理须填写理由，理由将记录并报监督人员。</p>}
        label="理由"
        busy={busy}
        onClose={() => setReasonFor(null)}
        onSubmit={(reason) => reasonFor && void runBulk(reasonFor.op, reasonFor.ids, reason)}
      />
    </section>
  );
}
