/**
 * The unit page's 经办人 panel (issue 16): pending requests to join the unit, approved or rejected
 * by this clerk, and the unit's clerks, each other one revocable. Buttons come from the server's
 * flags (canApprove, canReject, canRevoke); the list reloads after each decision.
 */
import { useState } from 'react';
import { api, asApiError, clerkLetterHref, type UnitClerksOut } from '../../lib/api.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { fmtDateTime } from '../../lib/format.ts';
import { Notice } from '../../components/Form.tsx';
import { ReasonDialog } from '../../components/Dialog.tsx';

type Row = UnitClerksOut['requests'][number] | UnitClerksOut['clerks'][number];
type Ask = { row: Row; action: 'reject' | 'revoke' } | null;

export function UnitClerks({ onChanged }: { onChanged?: () => unknown }) {
  const { data, error, reload } = useLoad(() => api.unitClerks(), []);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [ask, setAsk] = useState<Ask>(null);

  const act = async (row: Row, action: 'approve' | 'reject' | 'revoke', reason?: string) => {
    setBusy(true);
    setMsg(null);
    try {
      await api.unitClerkAct(row.id, action, reason);
      const done = action === 'approve' ? '已同意' : action === 'reject' ? '已拒绝' : '已撤销';
      setMsg({ kind: 'ok', text: `${done}：${row.name}` });
      setAsk(null);
      await reload();
      onChanged?.();
    } catch (e) {
      setMsg({ kind: 'error', text: asApiError(e).message });
      setAsk(null);
      await reload();
    } finally {
      setBusy(false);
    }
  };

  if (!data) return error ? <Notice kind="error">{error.message}</Notice> : null;
  return (
    <section aria-labelledby="clerks-h" className="panel unit-clerks">
      <h2 id="clerks-h">经办人申请</h2>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {data.requests.length === 0 ? (
        <p className="empty">没有待审核的经办人申请。</p>
      ) : (
        <ul className="clerk-requests">
          {data.requests.map((r) => (
            <li key={r.id} className="clerk-request">
              <p>
                <strong>{r.name}</strong>（手机 {r.mobileMasked ?? '—'}，身份证 <span className="mono">{r.idNoMasked ?? '—'}</span>
                ）申请成为本单位经办人，
                {fmtDateTime(r.createdAt)}
                {r.hasLetter && (
                  <>
                    ，
                    <a href={clerkLetterHref(r.id)} target="_blank" rel="noreferrer">
                      授权委托书
                    </a>
                  </>
                )}
              </p>
              <p className="help">同意后，该账号可查看和办理本单位的职工、办件和缴费基数申报。请确认是本单位人员。</p>
              <div className="actions-row">
                {r.canApprove && (
                  <button type="button" className="btn" disabled={busy} onClick={() => void act(r, 'approve')}>
                    同意 {r.name}
                  </button>
                )}
                {r.canReject && (
                  <button type="button" className="btn secondary" disabled={busy} onClick={() => setAsk({ row: r, action: 'reject' })}>
                    拒绝 {r.name}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <h3>本单位经办人</h3>
      <ul className="clerk-list">
        {data.clerks.map((c) => (
          <li key={c.id}>
            {c.name}（{c.mobileMasked ?? '—'}）{c.isMe && <span className="muted">（本人）</span>}
            {c.canRevoke && (
              <button type="button" className="btn secondary small" disabled={busy} onClick={() => setAsk({ row: c, action: 'revoke' })}>
                撤销 {c.name} 的经办人资格
              </button>
            )}
          </li>
        ))}
      </ul>
      <ReasonDialog
        open={ask !== null}
        title={ask?.action === 'revoke' ? `撤销 ${ask.row.name} 的经办人资格？` : `拒绝 ${ask?.row.name ?? ''} 的申请？`}
        label={ask?.action === 'revoke' ? '撤销理由' : '拒绝理由'}
        busy={busy}
        onClose={() => setAsk(null)}
        onSubmit={(reason) => ask && void act(ask.row, ask.action, reason)}
      />
    </section>
  );
}
