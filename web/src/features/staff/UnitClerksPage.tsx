/**
 * /staff/unit-clerks (issue 16): the agency's 单位经办人 requests — pending ones (for units with no
 * clerk the agency decides, after opening the 授权委托书), approved clerks to revoke, and the
 * decided ones. Buttons come from the server's flags (canApprove needs the letter; canReject,
 * canRevoke); a reason is asked for rejecting and revoking.
 */
import { useEffect, useState } from 'react';
import { api, asApiError, clerkLetterHref, type AgencyUnitClerksOut } from '../../lib/api.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { fmtDateTime } from '../../lib/format.ts';
import { Crumbs, Pending } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';
import { ReasonDialog } from '../../components/Dialog.tsx';
import { Tabs } from '../../components/Tabs.tsx';

type Status = 'pending' | 'approved' | 'rejected' | 'revoked';
type Row = AgencyUnitClerksOut['items'][number];
const TABS: { key: Status; label: string }[] = [
  { key: 'pending', label: '待审核' },
  { key: 'approved', label: '在任经办人' },
  { key: 'rejected', label: '未通过' },
  { key: 'revoked', label: '已撤销' },
];

export function UnitClerksPage() {
  return <RequireLogin staff>{() => <UnitClerksQueue />}</RequireLogin>;
}

function UnitClerksQueue() {
  const [tab, setTab] = useState<Status>('pending');
  const { data, error, reload } = useLoad(() => api.staffUnitClerks(tab), [tab]);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [ask, setAsk] = useState<{ row: Row; action: 'reject' | 'revoke' } | null>(null);
  useEffect(() => {
    document.title = '单位经办人审核 · 工作台';
  }, []);

  const act = async (row: Row, action: 'approve' | 'reject' | 'revoke', reason?: string) => {
    setBusy(true);
    setMsg(null);
    try {
      await api.staffUnitClerkAct(row.id, action, reason);
      const done = action === 'approve' ? '已通过' : action === 'reject' ? '已拒绝' : '已撤销';
      setMsg({ kind: 'ok', text: `${done}：${row.unitName} ${row.name}` });
    } catch (e) {
      setMsg({ kind: 'error', text: asApiError(e).message });
    } finally {
      setAsk(null);
      setBusy(false);
      await reload();
    }
  };

  return (
    <section className="staff-unit-clerks">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: '单位经办人审核' }]} />
      <h1>单位经办人审核</h1>
      <p className="muted">
        单位在平台上还没有经办人时，由本机构核对加盖单位公章的授权委托书后审核；已有经办人的单位，也可由其经办人在单位网厅同意。
      </p>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <Tabs label="申请状态" className="tabs" tabs={TABS} selected={tab} onSelect={setTab} tabId={(k) => `uc-tab-${k}`} panelId="uc-panel" />
      <div role="tabpanel" id="uc-panel" aria-labelledby={`uc-tab-${tab}`}>
        {!data ? (
          <Pending error={error} retry={reload} />
        ) : data.items.length === 0 ? (
          <p className="empty">{tab === 'approved' ? '没有在任的单位经办人。' : `没有${TABS.find((t) => t.key === tab)!.label}的申请。`}</p>
        ) : (
          <ul className="clerk-requests">
            {data.items.map((r) => (
              <li key={r.id} className="panel clerk-request">
                <h2 className="h3">
                  {r.unitName} <span className="mono small">{r.uscc}</span>
                </h2>
                <dl className="kv">
                  <dt>申请人</dt>
                  <dd>
                    {r.name}（手机 {r.mobileMasked ?? '—'}，身份证 <span className="mono">{r.idNoMasked ?? '—'}</span>）
                  </dd>
                  <dt>申请时间</dt>
                  <dd>{fmtDateTime(r.createdAt)}</dd>
                  <dt>本单位经办人</dt>
                  <dd>{r.unitHasClerk ? '已有（也可由其审核）' : '尚无'}</dd>
                  <dt>授权委托书</dt>
                  <dd>
                    {r.hasLetter ? (
                      <a href={clerkLetterHref(r.id)} target="_blank" rel="noreferrer">
                        打开 {r.letterName}
                      </a>
                    ) : (
                      <span className="muted">申请人尚未上传</span>
                    )}
                  </dd>
                  {r.decidedAt && (
                    <>
                      <dt>处理时间</dt>
                      <dd>{fmtDateTime(r.decidedAt)}</dd>
                    </>
                  )}
                  {r.reason && (
                    <>
                      <dt>理由</dt>
                      <dd>{r.reason}</dd>
                    </>
                  )}
                </dl>
                <div className="actions-row">
                  {r.canApprove && (
                    <button type="button" className="btn" disabled={busy} onClick={() => void act(r, 'approve')}>
                      核对无误，通过 {r.name}
                    </button>
                  )}
                  {r.canReject && (
                    <button type="button" className="btn secondary" disabled={busy} onClick={() => setAsk({ row: r, action: 'reject' })}>
                      不予通过
                    </button>
                  )}
                  {r.canRevoke && (
                    <button type="button" className="btn secondary" disabled={busy} onClick={() => setAsk({ row: r, action: 'revoke' })}>
                      撤销经办人资格
                    </button>
                  )}
                </div>
                {r.canReject && !r.canApprove && <p className="help">申请人上传授权委托书后才能通过。</p>}
              </li>
            ))}
          </ul>
        )}
      </div>
      <ReasonDialog
        open={ask !== null}
        title={ask?.action === 'revoke' ? `撤销 ${ask.row.name} 的经办人资格？` : `不予通过 ${ask?.row.name ?? ''} 的申请？`}
        label={ask?.action === 'revoke' ? '撤销理由' : '不予通过的理由'}
        busy={busy}
        onClose={() => setAsk(null)}
        onSubmit={(reason) => ask && void act(ask.row, ask.action, reason)}
      />
    </section>
  );
}
