/**
 * 事后审核 (/staff/post-audit): cases an emergency regime passed automatically (大连: 透析审核先自动
 * 通过，疫情结束后再审核). Reviewers confirm each or flag it with the problem; supervisors look.
 */
import { useEffect, useState } from 'react';
import { asApiError } from '../../lib/api.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { fmtDateTime } from '../../lib/format.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';
import { Dialog, ReasonDialog } from '../../components/Dialog.tsx';
import { emergencyApi, type PostAuditList } from './api.ts';
import './emergency.css';
import { Table } from '../../components/Table.tsx';

const FILTERS = [
  { value: 'pending', label: '待审核' },
  { value: 'flagged', label: '存疑' },
  { value: 'confirmed', label: '已确认' },
  { value: 'all', label: '全部' },
] as const;
type Item = PostAuditList['items'][number];

export function PostAuditPage() {
  return <RequireLogin staff>{() => <PostAudit />}</RequireLogin>;
}

function PostAudit() {
  const [status, setStatus] = useState<string>(() => new URLSearchParams(location.search).get('status') ?? 'pending');
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [confirming, setConfirming] = useState<Item | null>(null);
  const [flagging, setFlagging] = useState<Item | null>(null);
  const [busy, setBusy] = useState(false);
  const [dlgErr, setDlgErr] = useState('');
  const { data, error, reload: load } = useLoad(() => emergencyApi.postAudits(status), [status], { keep: true });
  useEffect(() => {
    document.title = '事后审核 · 工作台';
  }, []);

  const decide = async (it: Item, decision: 'confirm' | 'flag', note?: string) => {
    setBusy(true);
    setDlgErr('');
    try {
      await emergencyApi.decide(it.id, note ? { decision, note } : { decision });
      setConfirming(null);
      setFlagging(null);
      setMsg({ kind: 'ok', text: `${it.caseNo ?? `#${it.caseId}`}：${decision === 'confirm' ? '已确认无误' : '已标记存疑，并通知监督人员'}。` });
      void load();
    } catch (e) {
      setDlgErr(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="staff em-admin">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: '事后审核' }]} />
      <h1>事后审核</h1>
      <p className="muted">应急期间“先自动通过”的办件：提交即受理、办结，事后由审核人员逐件确认无误或标记存疑。</p>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <div className="actions-row" role="group" aria-label="按状态筛选">
        {FILTERS.map((f) => (
          <button
            key={f.value}
            type="button"
            className={`btn small${status === f.value ? '' : ' secondary'}`}
            aria-pressed={status === f.value}
            onClick={() => {
              setStatus(f.value);
              history.replaceState(null, '', `/staff/post-audit?status=${f.value}`);
            }}
          >
            {f.label}
            {f.value !== 'all' && data ? `（${data.counts[f.value] ?? 0}）` : ''}
          </button>
        ))}
      </div>
      {error && <ErrorBox message={error.message} retry={load} />}
      {!data && !error && <Loading />}
      {data && (
        <div className="table-wrap">
          <Table
            className="em-cards"
            rows={data.items}
            rowKey={(it) => it.id}
            caption={
              <>
                {FILTERS.find((f) => f.value === status)?.label} {data.items.length} 件
              </>
            }
            empty="暂无。"
            columns={[
              {
                header: '办件编号',
                label: '办件编号',
                className: 'mono nowrap',
                cell: (it) => <Link href={`/staff/cases/${it.caseId}`}>{it.caseNo ?? `#${it.caseId}`}</Link>,
              },
              {
                header: '事项',
                label: '事项',
                cell: (it) => (
                  <>
                    {it.itemName}
                    <span className="muted">（{it.itemCode}）</span>
                  </>
                ),
              },
              { header: '申请人', label: '申请人', className: 'nowrap', cell: (it) => it.applicantName },
              { header: '自动办结', label: '自动办结', className: 'nowrap', cell: (it) => fmtDateTime(it.completedAt) },
              { header: '依据', label: '依据', cell: (it) => it.measureTitle },
              {
                header: '审核',
                label: '审核',
                cell: (it) => (
                  <>
                    {it.status === 'pending' ? (
                      data.canDecide ? (
                        <span className="actions-row">
                          <button
                            type="button"
                            className="btn small"
                            onClick={() => setConfirming(it)}
                            aria-label={`确认无误：${it.caseNo ?? it.caseId}`}
                          >
                            确认无误
                          </button>
                          <button
                            type="button"
                            className="btn small secondary"
                            onClick={() => {
                              setDlgErr('');
                              setFlagging(it);
                            }}
                            aria-label={`标记存疑：${it.caseNo ?? it.caseId}`}
                          >
                            标记存疑
                          </button>
                        </span>
                      ) : (
                        <span className="tag">待审核</span>
                      )
                    ) : (
                      <>
                        <span className={`tag ${it.status === 'confirmed' ? 'ok' : 'warn'}`}>{it.statusLabel}</span>
                        <span className="small">
                          {' '}
                          {it.decidedBy}，{fmtDateTime(it.decidedAt)}
                          {it.note ? `：${it.note}` : ''}
                        </span>
                      </>
                    )}
                  </>
                ),
              },
            ]}
          />
        </div>
      )}
      <Dialog
        open={confirming !== null}
        title="确认无误"
        confirmLabel="确认无误"
        busy={busy}
        onClose={() => setConfirming(null)}
        onConfirm={() => confirming && void decide(confirming, 'confirm')}
      >
        <p>
          确认办件 {confirming?.caseNo}（{confirming?.itemName}，{confirming?.applicantName}）自动通过无误？
        </p>
        {dlgErr && (
          <p className="field-error" role="alert">
            {dlgErr}
          </p>
        )}
      </Dialog>
      <ReasonDialog
        open={flagging !== null}
        title="标记存疑"
        label="发现的问题"
        intro={<p className="small">办件已办结，标记存疑不会撤销办结；监督人员会收到通知并跟进。</p>}
        busy={busy}
        error={dlgErr}
        onClose={() => setFlagging(null)}
        onSubmit={(t) => flagging && void decide(flagging, 'flag', t)}
      />
    </section>
  );
}
