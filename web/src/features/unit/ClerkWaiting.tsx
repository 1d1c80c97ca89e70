/**
 * The unit page of an account whose 单位经办人 request is not approved (issue 16): where it stands,
 * who decides, and — when the agency decides — the 授权委托书 upload. Drawn from the server's
 * status and flags (reviewer, needsLetter, canUploadLetter); nothing of the unit is shown.
 */
import { useState } from 'react';
import { api, asApiError, clerkLetterHref, uploadClerkLetter, type MyUnitClerkOut } from '../../lib/api.ts';
import { Link } from '../../lib/router.tsx';
import { fmtDateTime } from '../../lib/format.ts';
import { Notice } from '../../components/Form.tsx';

export function ClerkWaiting({ data, reload }: { data: MyUnitClerkOut; reload: () => unknown }) {
  const r = data.request;
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const upload = async () => {
    if (!file) {
      setMsg({ kind: 'error', text: '请先选择授权委托书文件。' });
      return;
    }
    setBusy(true);
    setMsg(null);
    try {
      const out = await uploadClerkLetter(file);
      setMsg({ kind: 'ok', text: `已上传授权委托书：${out.letterName}` });
      setFile(null);
      await reload();
    } catch (e) {
      setMsg({ kind: 'error', text: asApiError(e).message });
    } finally {
      setBusy(false);
    }
  };

  const reapply = async () => {
    setBusy(true);
    setMsg(null);
    try {
      await api.reapplyClerk();
      await reload();
    } catch (e) {
      setMsg({ kind: 'error', text: asApiError(e).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="unit clerk-status">
      <h1>单位网厅</h1>
      <div className="panel" role="status">
        {data.status === 'none' || !r ? (
          <p>本账号尚未申请成为任何单位的经办人。</p>
        ) : data.status === 'pending' ? (
          <>
            <h2>您的单位经办人申请正在等待{r.reviewer === 'clerk' ? '本单位现有经办人' : '经办机构'}审核</h2>
            <p>
              审核通过前，本账号不能查看或办理本单位的职工名单、办件和缴费基数申报。
              {r.reviewer === 'clerk'
                ? '请联系本单位现有经办人登录单位网厅，在“经办人申请”中同意您的申请。'
                : `本单位在平台上还没有经办人：请上传加盖单位公章的授权委托书，由${r.agencyName ?? '经办机构'}核对后审核。`}
            </p>
          </>
        ) : data.status === 'rejected' ? (
          <h2>您的单位经办人申请未获通过</h2>
        ) : data.status === 'revoked' ? (
          <h2>您的单位经办人资格已被撤销</h2>
        ) : null}
        {r && (
          <dl className="kv">
            <dt>申请单位</dt>
            <dd>{r.unitName}</dd>
            <dt>统一社会信用代码</dt>
            <dd className="mono">{r.uscc}</dd>
            <dt>审核机构</dt>
            <dd>{r.agencyName ?? '—'}</dd>
            <dt>申请时间</dt>
            <dd>{fmtDateTime(r.createdAt)}</dd>
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
            <dt>授权委托书</dt>
            <dd>
              {r.letterName ? (
                <a href={clerkLetterHref(r.id)} target="_blank" rel="noreferrer">
                  {r.letterName}
                </a>
              ) : (
                <span className="muted">未上传</span>
              )}
            </dd>
          </dl>
        )}
        {(data.status === 'rejected' || data.status === 'revoked') && <p>如有疑问，请联系本单位经办人或参保地医保经办机构。</p>}
        {r?.canReapply && (
          <>
            {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
            <button type="button" className="btn" onClick={() => void reapply()} disabled={busy}>
              重新申请成为本单位经办人
            </button>
          </>
        )}
      </div>
      {r?.canUploadLetter && (
        <div className="panel">
          <h2>{r.letterName ? '重新上传授权委托书' : '上传授权委托书'}</h2>
          <p className="help" id="letter-help">
            须加盖单位公章；PDF、JPG 或 PNG，不超过 10 MB。{r.needsLetter ? '上传后经办机构才能审核。' : ''}
          </p>
          {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
          <div className="field">
            <label htmlFor="letter-file">授权委托书文件</label>
            <input
              id="letter-file"
              type="file"
              accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
              aria-describedby="letter-help"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </div>
          <button type="button" className="btn" onClick={() => void upload()} disabled={busy}>
            {busy ? '正在上传…' : '上传'}
          </button>
        </div>
      )}
      <p className="small no-print">
        本账号个人的办件见<Link href="/me">我的办件</Link>。
      </p>
    </section>
  );
}
