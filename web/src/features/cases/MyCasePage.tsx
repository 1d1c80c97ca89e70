/** One of my cases: status, deadline, 补正 / 容缺 uploads, documents, timeline and my permitted actions. */
import { useId, useState } from 'react';
import { api, asApiError, type CaseDetail } from '../../lib/api.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { fmtDate } from '../../lib/format.ts';
import { maskCitizenId } from '../../../../common/ids.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { AnswersList, DeadlineFacts, Documents, MaterialUpload, Timeline } from './parts.tsx';
import { DueDate, ProvisionalNote } from '../../components/DateText.tsx';
import { BenefitPanel } from './rules.tsx';
import { CaseRating } from '../feedback/CaseRating.tsx';

export function MyCasePage({ id }: { id: number }) {
  return <RequireLogin>{(me) => <MyCase id={id} myName={me.name} />}</RequireLogin>;
}

type Action = CaseDetail['actions'][number];

function MyCase({ id, myName }: { id: number; myName: string }) {
  const {
    data: c,
    setData: setC,
    error: loadErr,
    reload: load,
  } = useLoad(async () => {
    const d = await api.case(id);
    document.title = `${d.caseNo ?? '办件'} · ${d.itemName}`;
    return d;
  }, [id]);
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<Action | null>(null);
  const [note, setNote] = useState('');
  const noteId = useId();

  const run = async (a: Action, withNote?: string) => {
    if (!c) return;
    setBusy(true);
    setResult(null);
    try {
      const d = await api.act(c.id, a.action, { lockVersion: c.lockVersion, note: withNote?.trim() || undefined });
      setC(d);
      setResult({ kind: 'ok', text: `已${a.label}。当前状态：${d.statusLabel}。` });
    } catch (e) {
      const err = asApiError(e);
      setResult({ kind: 'error', text: err.message });
      if (err.code === 'STALE_CASE') void load();
    } finally {
      setBusy(false);
      setConfirm(null);
    }
  };
  const click = (a: Action) => {
    if (a.action === 'withdraw') {
      setNote('');
      setConfirm(a);
    } else void run(a);
  };

  if (loadErr) return <ErrorBox message={loadErr.message} retry={load} />;
  if (!c) return <Loading />;

  const by = (names: string[]) => c.actions.filter((a) => names.includes(a.action));
  const inCorrection = c.status === 'correction' && c.correction;
  const inTolerance = c.status === 'tolerance_accepted' && c.toleranceMaterials;
  const placed = new Set([...(inCorrection ? ['resubmit', 'resubmit_review'] : []), ...(inTolerance ? ['supply'] : [])]);
  const others = c.actions.filter((a) => !placed.has(a.action));
  const buttons = (list: Action[]) =>
    list.map((a) => (
      <button
        key={a.action}
        type="button"
        className={a.action === 'withdraw' ? 'btn danger' : 'btn primary'}
        onClick={() => click(a)}
        disabled={busy}
      >
        {a.label}
      </button>
    ));
  const filesOf = (index: number) => c.materials.filter((m) => m.materialIndex === index);

  return (
    <article className="case-page">
      <Crumbs items={[{ href: '/', label: '首页' }, { href: '/me', label: '我的办件' }, { label: c.caseNo ?? '草稿' }]} />
      <h1>{c.itemName}</h1>
      {result && <Notice kind={result.kind}>{result.text}</Notice>}
      {c.applicant.name !== myName && (
        <p className="agent-banner" role="note" aria-label="代办">
          <span>
            代办：申请人为 <strong>{c.applicant.name}</strong>（{maskCitizenId(c.applicant.idNo)}
            ），由您代为办理。
          </span>
        </p>
      )}
      <DeadlineFacts c={c} />
      {c.status === 'draft' && (
        <p>
          <Link className="btn primary" href={`/apply/${c.agencyCode}/${c.itemCode}?draft=${c.id}`}>
            继续填写申请
          </Link>
        </p>
      )}

      {c.reasons && c.reasons.length > 0 && (
        <section className="panel warn-box">
          <h2>理由</h2>
          <ol>
            {c.reasons.map((r, i) => (
              <li key={i}>{r.text}</li>
            ))}
          </ol>
        </section>
      )}

      {inCorrection && c.correction && (
        <section className="panel warn-box" aria-labelledby="corr-h">
          <h2 id="corr-h">需要补正的材料（一次性告知）</h2>
          <p>
            经办机构于 {fmtDate(c.correction.requestedOn)} 告知您补正以下材料。请逐项上传后点击“
            {by(['resubmit', 'resubmit_review'])[0]?.label ?? '提交补正材料'}”。
          </p>
          {c.correction.note && <p className="tip">{c.correction.note}</p>}
          <ol className="mats">
            {c.correction.materials.map((m) => (
              <MaterialUpload
                key={m.index}
                caseId={c.id}
                material={{ index: m.index, name: m.name, note: m.note ? `补正说明：${m.note}` : undefined }}
                files={filesOf(m.index).filter((f) => f.phase === 'correction' && f.uploadedAt.slice(0, 10) >= c.correction!.requestedOn)}
                allFiles={c.materials}
                limits={c.form.limits}
                canUpload
                canDelete={(f) => f.phase !== 'initial'}
                onChanged={load}
              />
            ))}
          </ol>
          <div className="actions-row">{buttons(by(['resubmit', 'resubmit_review']))}</div>
        </section>
      )}

      {inTolerance && c.toleranceMaterials && (
        <section className="panel ok-box" aria-labelledby="tol-h">
          <h2 id="tol-h">容缺受理：待补交的材料</h2>
          <p>
            您的申请已容缺受理。请在{' '}
            <strong>{c.toleranceDue ? <DueDate date={c.toleranceDue} provisional={c.toleranceDueProvisional} /> : '规定期限'}</strong>{' '}
            前补交以下材料，逾期未补交的，办件将被终止。
          </p>
          {c.toleranceDueProvisional && <ProvisionalNote what="补交期限" />}
          <ol className="mats">
            {c.toleranceMaterials.map((m) => (
              <MaterialUpload
                key={m.index}
                caseId={c.id}
                material={{ index: m.index, name: m.name }}
                files={filesOf(m.index)}
                allFiles={c.materials}
                limits={c.form.limits}
                canUpload
                canDelete={(f) => f.phase !== 'initial'}
                onChanged={load}
              />
            ))}
          </ol>
          <div className="actions-row">{buttons(by(['supply']))}</div>
        </section>
      )}

      {c.benefit && <BenefitPanel b={c.benefit} />}

      <CaseRating caseId={c.id} status={c.status} agencyCode={c.agencyCode} />

      {others.length > 0 && (
        <section className="panel no-print">
          <h2>可进行的操作</h2>
          <div className="actions-row">{buttons(others)}</div>
        </section>
      )}

      <section className="panel">
        <h2>文书</h2>
        <Documents c={c} />
      </section>

      <section className="panel">
        <h2>办理进度</h2>
        <Timeline events={c.events} />
      </section>

      <section className="panel">
        <h2>申请信息</h2>
        <AnswersList c={c} />
        <h3>已提交的材料</h3>
        {c.materials.length === 0 ? (
          <p className="muted">没有上传材料。</p>
        ) : (
          <ul className="files">
            {c.materials.map((m) => (
              <li key={m.id}>
                <span>{m.materialName}：</span>
                <a href={`/api/cases/${c.id}/materials/${m.id}/file`} target="_blank" rel="noreferrer">
                  {m.fileName}
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p className="no-print">
        <button type="button" className="btn secondary" onClick={() => window.print()}>
          打印本页
        </button>
      </p>

      <Dialog
        open={confirm !== null}
        title="确定撤回申请吗？"
        confirmLabel="确定撤回"
        danger
        busy={busy}
        onClose={() => setConfirm(null)}
        onConfirm={() => confirm && void run(confirm, note)}
      >
        <p>撤回后本次申请终止，不能恢复；如需办理请重新申请。</p>
        <label htmlFor={noteId} className="block-label">
          撤回原因（选填）
        </label>
        <textarea id={noteId} rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
      </Dialog>
    </article>
  );
}
