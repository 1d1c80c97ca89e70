/**
 * 转移接续: the 联系函 sent to this agency (we are the origin: issue the 信息表 and move the account)
 * and those this agency sent (we are the destination: follow the origin, record an off-platform 信息表).
 */
import { useCallback, useEffect, useId, useState } from 'react';
import { api, asApiError, send } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { todayChina } from '../../lib/format.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Tabs } from '../../components/Tabs.tsx';
import { Notice } from '../../components/Form.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { DueDate } from '../../components/DateText.tsx';

/** One leg as GET /api/staff/transfers returns it (server/modules/registry/routes.ts). */
export interface Transfer {
  id: number;
  caseId: number;
  caseNo: string | null;
  applicantName: string;
  applicantIdNoMasked: string;
  direction: 'in' | 'out';
  originAgency: string | null;
  originExternal: string | null;
  destAgency: string;
  status: 'letter_sent' | 'info_issued' | 'completed';
  letterOn: string;
  originDue: string | null;
  infoOn: string | null;
  months: number | null;
  amount: number | null;
  destDue: string | null;
  dueProvisional: boolean;
  overdue: boolean;
  warning: boolean;
  /** The step that waits on this agency, if any (the server decides). */
  next: 'issue_info' | 'record_external_info' | 'complete_case' | null;
  /** The reader may take that step. */
  canAct: boolean;
}
interface ExternalInfoIn {
  months: number;
  amountYuan: number;
  infoOn: string;
}

const transfersApi = {
  list: () => send<{ items: Transfer[] }>('GET', '/api/staff/transfers'),
  issueInfo: (id: number) => send<{ ok: boolean }>('POST', `/api/staff/transfers/${id}/issue-info`, {}),
  externalInfo: (id: number, body: ExternalInfoIn) => send<{ ok: boolean }>('POST', `/api/staff/transfers/${id}/external-info`, body),
};

const STATUS_LABELS: Record<Transfer['status'], string> = { letter_sent: '待出具信息表', info_issued: '已出具信息表', completed: '已办结' };
const TABS = [
  { key: 'out', label: '发给本机构的联系函（转出）', hint: '其他经办机构受理了参保人转入申请，请本机构作为转出地出具信息表并划转个人账户。' },
  { key: 'in', label: '本机构发出的联系函（转入）', hint: '本机构作为转入地受理后发出的联系函；转出地出具信息表后，本机构审核办结。' },
] as const;
type Tab = (typeof TABS)[number]['key'];

const yuan = (n: number | null) => (n === null ? '—' : `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);

/** Whole days from today (China) to a YYYY-MM-DD date; negative when past. */
function daysUntil(date: string): number {
  const t = todayChina();
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${t}T00:00:00Z`)) / 86400_000);
}

/** The leg that is running now: the origin's 信息表 while the letter waits, the destination's 办结 after it. */
function runningLeg(t: Transfer): { who: string; due: string } | null {
  if (t.status === 'letter_sent' && t.originDue) return { who: '转出地出具信息表', due: t.originDue };
  if (t.status === 'info_issued' && t.destDue) return { who: '转入地办结', due: t.destDue };
  return null;
}

function LegDue({ t }: { t: Transfer }) {
  const leg = runningLeg(t);
  if (!leg) return <span className="muted">{t.status === 'completed' ? '已办结' : '—'}</span>;
  const d = daysUntil(leg.due);
  const text = t.overdue ? `已超期 ${Math.max(1, -d)} 天` : d <= 0 ? '今天到期' : `剩余 ${d} 天${t.warning ? '（时限已过75%）' : ''}`;
  return (
    <>
      <span className="xfer-leg">{leg.who}</span>
      <br />
      <span className="nowrap">
        <DueDate date={leg.due} provisional={t.dueProvisional} /> 前
      </span>
      <br />
      <span className={t.overdue ? 'deadline overdue' : t.warning || d <= 0 ? 'deadline soon' : 'deadline'}>
        {t.overdue && <span aria-hidden="true">⚠ </span>}
        {text}
      </span>
    </>
  );
}

export function TransfersPage() {
  return <RequireLogin staff>{() => <Transfers />}</RequireLogin>;
}

function Transfers() {
  const [items, setItems] = useState<Transfer[] | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const [tab, setTab] = useState<Tab>('out');
  const [names, setNames] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [issueFor, setIssueFor] = useState<Transfer | null>(null);
  const [externalFor, setExternalFor] = useState<Transfer | null>(null);
  const [busy, setBusy] = useState(false);
  const tid = useId();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await transfersApi.list()).items);
      setError('');
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    document.title = '转移接续 · 工作台';
    void load();
    api.agencies().then(
      (list) => setNames(Object.fromEntries(list.map((a) => [a.code, a.name]))),
      () => setNames({}),
    );
  }, [load]);

  const agencyName = (code: string | null) => (code ? (names[code] ?? code) : '—');
  const counterpart = (t: Transfer) => (t.direction === 'out' ? agencyName(t.destAgency) : (t.originExternal ?? agencyName(t.originAgency)));

  const issue = async () => {
    if (!issueFor) return;
    setBusy(true);
    setMsg(null);
    try {
      await transfersApi.issueInfo(issueFor.id);
      setMsg({
        kind: 'ok',
        text: `已为 ${issueFor.applicantName}（${issueFor.caseNo ?? `#${issueFor.caseId}`}）出具信息表，个人账户余额已划转至${agencyName(issueFor.destAgency)}，本地参保关系已终止。`,
      });
      setIssueFor(null);
      await load();
    } catch (e) {
      setMsg({ kind: 'error', text: asApiError(e).message });
      setIssueFor(null);
    } finally {
      setBusy(false);
    }
  };

  const recordExternal = async (t: Transfer, body: ExternalInfoIn) => {
    setBusy(true);
    setMsg(null);
    try {
      await transfersApi.externalInfo(t.id, body);
      setMsg({ kind: 'ok', text: `已登记 ${t.applicantName}（${t.caseNo ?? `#${t.caseId}`}）的平台外信息表，可以审核办结。` });
      setExternalFor(null);
      await load();
    } catch (e) {
      setMsg({ kind: 'error', text: asApiError(e).message });
      setExternalFor(null);
    } finally {
      setBusy(false);
    }
  };

  const all = items ?? [];
  const rows = all.filter((t) => t.direction === tab);
  const current = TABS.find((x) => x.key === tab)!;
  /** What waits on this agency (the server says which step): letters to answer, off-platform 信息表 to record, cases to complete. */
  const pending = (d: Tab) => all.filter((t) => t.direction === d && t.next !== null).length;
  const overdueCount = rows.filter((t) => t.overdue).length;

  return (
    <section className="staff transfers">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: '转移接续' }]} />
      <h1>转移接续</h1>
      <p className="muted">
        基本医疗保险关系跨统筹区转移接续：转入地受理后发出联系函，转出地在时限内出具信息表并划转个人账户，转入地据此审核办结。时限按工作日计算，剩余天数为自然日。
      </p>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {error && <ErrorBox message={error} retry={() => void load()} />}
      {loading && !items && <Loading />}
      {items && (
        <>
          <Tabs
            tabs={TABS.map((t) => ({
              key: t.key,
              label: (
                <>
                  {t.label}
                  {pending(t.key) > 0 && <span className="xfer-count">（待办 {pending(t.key)}）</span>}
                </>
              ),
            }))}
            selected={tab}
            onSelect={setTab}
            label="联系函方向"
            className="tabs xfer-tabs"
            tabId={(k) => `${tid}-tab-${k}`}
            panelId={`${tid}-panel`}
          />
          <div role="tabpanel" id={`${tid}-panel`} aria-labelledby={`${tid}-tab-${tab}`} className="xfer-panel">
            <p className="muted small">{current.hint}</p>
            <div className="table-wrap">
              <table className="transfers">
                <caption>
                  共 {rows.length} 件{overdueCount > 0 ? `，其中超期 ${overdueCount} 件` : ''}
                  {loading ? ' · 正在刷新…' : ''}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">办件编号</th>
                    <th scope="col">参保人</th>
                    <th scope="col">{tab === 'out' ? '转入地' : '转出地'}</th>
                    <th scope="col">状态</th>
                    <th scope="col">联系函日期</th>
                    <th scope="col">当前环节时限</th>
                    <th scope="col">缴费月数</th>
                    <th scope="col">个人账户划转金额</th>
                    <th scope="col">操作</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.length === 0 && (
                    <tr>
                      <td colSpan={9} className="muted">
                        {tab === 'out' ? '暂无发给本机构的联系函。' : '本机构暂未发出联系函。'}
                      </td>
                    </tr>
                  )}
                  {rows.map((t) => {
                    const no = t.caseNo ?? `#${t.caseId}`;
                    return (
                      <tr key={t.id} className={t.overdue ? 'overdue' : undefined}>
                        <td data-label="办件编号" className="mono nowrap">
                          {t.direction === 'in' ? <Link href={`/staff/cases/${t.caseId}`}>{no}</Link> : no}
                          {t.overdue && <span className="tag xfer-overdue">超期</span>}
                        </td>
                        <td data-label="参保人">
                          <span className="nowrap">{t.applicantName}</span>
                          <br />
                          <span className="mono muted nowrap xfer-id">{t.applicantIdNoMasked}</span>
                        </td>
                        <td data-label={tab === 'out' ? '转入地' : '转出地'} className="xfer-where">
                          {counterpart(t)}
                          {t.originExternal && t.direction === 'in' && <span className="tag">平台外</span>}
                        </td>
                        <td data-label="状态">
                          <span className={`status xfer-${t.status}`}>{STATUS_LABELS[t.status]}</span>
                          {t.infoOn && <span className="small muted nowrap xfer-info-on">信息表 {t.infoOn}</span>}
                        </td>
                        <td data-label="联系函日期" className="nowrap">
                          {t.letterOn}
                        </td>
                        <td data-label="当前环节时限">
                          <LegDue t={t} />
                        </td>
                        <td data-label="缴费月数" className="num nowrap">
                          {t.months === null ? '—' : `${t.months} 个月`}
                        </td>
                        <td data-label="个人账户划转金额" className="num nowrap">
                          {yuan(t.amount)}
                        </td>
                        <td data-label="操作" className="xfer-actions">
                          {t.next === 'issue_info' && t.canAct ? (
                            <button
                              type="button"
                              className="btn small"
                              onClick={() => setIssueFor(t)}
                              aria-label={`出具信息表并划转个人账户：${t.applicantName}（${no}）`}
                            >
                              出具信息表并划转个人账户
                            </button>
                          ) : t.next === 'record_external_info' && t.canAct ? (
                            <button
                              type="button"
                              className="btn small secondary"
                              onClick={() => setExternalFor(t)}
                              aria-label={`登记平台外信息表：${t.applicantName}（${no}）`}
                            >
                              登记平台外信息表
                            </button>
                          ) : t.next === 'complete_case' ? (
                            <Link className="btn small secondary" href={`/staff/cases/${t.caseId}`} aria-label={`去审核办结：${no}`}>
                              去审核办结
                            </Link>
                          ) : (
                            <span className="muted xfer-none">—</span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </div>
        </>
      )}

      <Dialog
        open={issueFor !== null}
        title="出具信息表并划转个人账户"
        confirmLabel="确认出具并划转"
        danger
        busy={busy}
        onClose={() => setIssueFor(null)}
        onConfirm={() => void issue()}
      >
        {issueFor && (
          <>
            <p>
              参保人 <strong>{issueFor.applicantName}</strong>（{issueFor.applicantIdNoMasked}），办件 {issueFor.caseNo ?? `#${issueFor.caseId}`}
              ，转入地 {agencyName(issueFor.destAgency)}。确认后将：
            </p>
            <ul className="xfer-effects">
              <li>出具《参保人员基本医疗保险类型变更信息表》，写明缴费月数，送转入地；</li>
              <li>
                <strong>账户余额划转</strong>：本机构个人账户余额全部划转至转入地，本地余额清零；
              </li>
              <li>
                <strong>终止本地参保关系</strong>：本机构的参保登记将终止。
              </li>
            </ul>
            <p className="field-error">此操作不能撤销，请核对参保人信息后再确认。</p>
          </>
        )}
      </Dialog>
      <ExternalInfoDialog t={externalFor} busy={busy} onClose={() => setExternalFor(null)} onSubmit={recordExternal} />
    </section>
  );
}

/** 登记平台外信息表: what the off-platform origin's 信息表 says (months, account amount, its date). */
function ExternalInfoDialog({
  t,
  busy,
  onClose,
  onSubmit,
}: {
  t: Transfer | null;
  busy: boolean;
  onClose: () => void;
  onSubmit: (t: Transfer, body: ExternalInfoIn) => Promise<void>;
}) {
  const id = useId();
  const [months, setMonths] = useState('');
  const [amount, setAmount] = useState('');
  const [infoOn, setInfoOn] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  useEffect(() => {
    if (t) {
      setMonths('');
      setAmount('');
      setInfoOn(todayChina());
      setProblems({});
    }
  }, [t]);

  const submit = () => {
    if (!t) return;
    const p: Record<string, string> = {};
    const m = Number(months);
    if (!/^\d{1,4}$/.test(months.trim()) || m > 1200) p.months = '请填写 0–1200 之间的整数月数。';
    const a = Number(amount.replace(/[,，\s]/g, ''));
    if (!/^\d+(\.\d{1,2})?$/.test(amount.replace(/[,，\s]/g, '')) || a > 10_000_000) p.amount = '请填写金额（元），最多两位小数。';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(infoOn)) p.infoOn = '请选择信息表日期。';
    else if (infoOn > todayChina()) p.infoOn = '信息表日期不能晚于今天。';
    setProblems(p);
    if (Object.keys(p).length === 0) void onSubmit(t, { months: m, amountYuan: a, infoOn });
  };
  const err = (k: string) =>
    problems[k] ? (
      <p className="field-error" id={`${id}-${k}-err`}>
        {problems[k]}
      </p>
    ) : null;
  const described = (k: string) => (problems[k] ? `${id}-${k}-err` : undefined);

  return (
    <Dialog open={t !== null} title="登记平台外信息表" confirmLabel="登记信息表" busy={busy} onClose={onClose} onConfirm={submit}>
      {t && (
        <p>
          {t.applicantName}（{t.caseNo ?? `#${t.caseId}`}），转出地 {t.originExternal}。请按对方寄来的信息表填写：
        </p>
      )}
      {Object.keys(problems).length > 0 && (
        <p className="field-error" role="alert">
          请更正下列 {Object.keys(problems).length} 处后再登记。
        </p>
      )}
      <div className="field">
        <label htmlFor={`${id}-months`}>缴费月数</label>
        <input
          id={`${id}-months`}
          inputMode="numeric"
          className="short"
          value={months}
          onChange={(e) => setMonths(e.target.value)}
          aria-invalid={problems.months ? true : undefined}
          aria-describedby={described('months')}
          autoFocus
        />
        {err('months')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-amount`}>个人账户划转金额（元）</label>
        <input
          id={`${id}-amount`}
          inputMode="decimal"
          className="short"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          aria-invalid={problems.amount ? true : undefined}
          aria-describedby={described('amount')}
        />
        {err('amount')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-date`}>信息表日期</label>
        <input
          id={`${id}-date`}
          type="date"
          value={infoOn}
          max={todayChina()}
          onChange={(e) => setInfoOn(e.target.value)}
          aria-invalid={problems.infoOn ? true : undefined}
          aria-describedby={described('infoOn')}
        />
        {err('infoOn')}
      </div>
    </Dialog>
  );
}
