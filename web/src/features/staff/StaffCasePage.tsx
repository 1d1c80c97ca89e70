/** Staff case page: applicant data (audited view), materials, 禁办 check, claim and the action panel. */
import { useState } from 'react';
import { api, asApiError, type UserOut } from '../../lib/api.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';
import { ReasonDialog } from '../../components/Dialog.tsx';
import { AnswersList, ClockEvents, DeadlineFacts, Documents, MaterialUpload, StatusBadge, Timeline } from '../cases/parts.tsx';
import { BenefitPanel, RuleCheckPanel } from '../cases/rules.tsx';
import { STAFF_CHANNELS, type Result } from './staff-case-parts.ts';
import { ActionForm } from './CaseActionForm.tsx';
import { BillForm } from './CaseBillForm.tsx';

export function StaffCasePage({ id }: { id: number }) {
  return <RequireLogin staff>{(me) => <StaffCase id={id} me={me} />}</RequireLogin>;
}

function StaffCase({ id, me }: { id: number; me: UserOut }) {
  const [result, setResult] = useState<Result | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [found, setFound] = useState<Set<string>>(new Set());
  const [claimAsk, setClaimAsk] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [active, setActive] = useState<string>('');

  const {
    data: c,
    setData: setC,
    error: loadErr,
    reload: load,
  } = useLoad(async () => {
    const d = await api.case(id);
    if (d.facts) {
      setChecked(new Set(d.facts.checked));
      setFound(new Set(d.facts.found));
    }
    document.title = `${d.caseNo ?? '办件'} · 工作台`;
    return d;
  }, [id]);

  const claim = async (reason?: string) => {
    setBusy(true);
    try {
      const d = await api.claim(id, reason);
      setC(d);
      setClaimAsk(null);
      setResult({ kind: 'ok', text: '已认领该办件。' });
    } catch (e) {
      const a = asApiError(e);
      if (a.code === 'OUT_OF_TURN_REASON_REQUIRED') setClaimAsk(a.message);
      else {
        setClaimAsk(null);
        setResult({ kind: 'error', text: a.message });
      }
    } finally {
      setBusy(false);
    }
  };

  if (loadErr) return <ErrorBox message={loadErr.message} retry={load} />;
  if (!c) return <Loading />;

  const toggle = (set: Set<string>, setter: (s: Set<string>) => void, code: string) => {
    const n = new Set(set);
    if (n.has(code)) n.delete(code);
    else n.add(code);
    setter(n);
  };
  const intake = c.status === 'submitted' && STAFF_CHANNELS.includes(c.channel) && me.roles.some((r) => r === 'acceptor' || r === 'agency_admin');
  const listed = c.form.materials.filter((m) => m.applies !== 'no' || c.materials.some((f) => f.materialIndex === m.index));
  const mine = c.assigneeId === me.id;
  // 手工报销: the server says whether this reader may enter the itemised bill now.
  const billable = c.canEnterBill;

  return (
    <article className="case-page staff">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: c.caseNo ?? `办件 #${c.id}` }]} />
      <h1>
        {c.itemName} <StatusBadge status={c.status} label={c.statusLabel} />
      </h1>
      {result && <Notice kind={result.kind}>{result.text}</Notice>}
      <DeadlineFacts c={c} />

      <section className="panel claim-row">
        <p>
          经办人：<strong>{c.assigneeName ?? '未认领'}</strong>
        </p>
        {!mine && (
          <button type="button" className="btn primary" onClick={() => claim()} disabled={busy}>
            {c.assigneeName ? '改由我认领' : '认领'}
          </button>
        )}
      </section>

      <section className="panel">
        <h2>申请人</h2>
        <p className="muted small">您查看申请人完整信息的操作已记入审计日志。</p>
        <dl className="answers">
          <div>
            <dt>姓名</dt>
            <dd>{c.applicant.name}</dd>
          </div>
          <div>
            <dt>公民身份号码</dt>
            <dd>
              <span className="mono">{c.applicant.idNo}</span>{' '}
              {c.applicant.idNo && !c.applicant.idNo.includes('*') && (
                <Link className="no-print" href={`/staff/persons?idNo=${encodeURIComponent(c.applicant.idNo)}`}>
                  参保人档案
                </Link>
              )}
            </dd>
          </div>
          <div>
            <dt>联系电话</dt>
            <dd>
              <a href={`tel:${c.applicant.phone}`}>{c.applicant.phone}</a>
            </dd>
          </div>
          {c.applicant.email && (
            <div>
              <dt>电子邮箱</dt>
              <dd>{c.applicant.email}</dd>
            </div>
          )}
        </dl>
        <h3>申请表</h3>
        <AnswersList c={c} />
      </section>

      <section className="panel">
        <h2>申请材料</h2>
        {c.missing.length > 0 ? (
          <div className="warn-box inner">
            <p>
              <strong>尚缺 {c.missing.length} 项：</strong>
              {c.missing.map((m) => `${m.name}${m.tolerable ? '（可容缺）' : ''}`).join('、')}
            </p>
          </div>
        ) : (
          <p className="ok-text">按申请人的回答，必需材料已齐全。</p>
        )}
        {intake && <p className="muted">本件为代为登记的窗口/邮件/传真/邮寄收件，受理前可在此上传收到的材料扫描件。</p>}
        <ol className="mats">
          {listed.map((m) => (
            <MaterialUpload
              key={m.index}
              caseId={c.id}
              material={m}
              files={c.materials.filter((f) => f.materialIndex === m.index)}
              allFiles={c.materials}
              limits={c.form.limits}
              canUpload={intake}
              canDelete={() => false}
              onChanged={load}
            />
          ))}
        </ol>
      </section>

      {c.prohibitions.length > 0 && (
        <section className="panel warn-box" id="prohibitions">
          <h2>违规禁办情形核查</h2>
          <p className="muted small">受理前逐项核查；勾选“存在此情形”的，应按禁办不予受理。</p>
          <ol className="prohibitions">
            {c.prohibitions.map((p) => (
              <li key={p.code}>
                <p>{p.text}</p>
                <label className="opt">
                  <input type="checkbox" checked={checked.has(p.code)} onChange={() => toggle(checked, setChecked, p.code)} />
                  已核查
                </label>
                <label className="opt">
                  <input
                    type="checkbox"
                    checked={found.has(p.code)}
                    onChange={() => {
                      toggle(found, setFound, p.code);
                      if (!found.has(p.code)) setChecked(new Set(checked).add(p.code));
                    }}
                  />
                  存在此情形
                </label>
              </li>
            ))}
          </ol>
        </section>
      )}

      {c.benefit && <BenefitPanel b={c.benefit} />}
      {billable && <BillForm key={c.id} caseId={c.id} saved={c.benefit?.bill} onSaved={load} />}
      {c.evaluation && <RuleCheckPanel ev={c.evaluation} />}

      <section className="panel no-print" aria-labelledby="act-h">
        <h2 id="act-h">办理</h2>
        {c.actions.length === 0 ? (
          <p className="muted">当前状态下您没有可进行的操作{!mine && c.status !== 'draft' ? '（可能需要先认领）' : ''}。</p>
        ) : (
          <>
            <div className="action-pick" role="group" aria-label="选择操作">
              {c.actions.map((a) => (
                <button
                  key={a.action}
                  type="button"
                  className={active === a.action ? 'btn primary' : 'btn secondary'}
                  aria-pressed={active === a.action}
                  onClick={() => setActive(active === a.action ? '' : a.action)}
                >
                  {a.label}
                </button>
              ))}
            </div>
            {c.actions
              .filter((a) => a.action === active)
              .map((a) => (
                <ActionForm
                  key={a.action + c.lockVersion}
                  c={c}
                  a={a}
                  facts={{ checked: [...checked], found: [...found] }}
                  onDone={(d, r) => {
                    if (d) {
                      setC(d);
                      setActive('');
                    }
                    setResult(r);
                    if (!d && r.kind === 'error') void load();
                  }}
                />
              ))}
          </>
        )}
      </section>

      <section className="panel">
        <h2>文书</h2>
        <Documents c={c} />
      </section>
      <section className="panel">
        <h2>办理过程</h2>
        <Timeline events={c.events} />
        {c.clockEvents.length > 0 && (
          <>
            <h3>计时记录</h3>
            <ClockEvents events={c.clockEvents} />
          </>
        )}
      </section>

      <ReasonDialog
        open={claimAsk !== null}
        title="不按先后顺序办理"
        intro={<p>{claimAsk}</p>}
        label="理由（将记录并报监督人员）"
        busy={busy}
        onClose={() => setClaimAsk(null)}
        onSubmit={(reason) => void claim(reason)}
      />
    </article>
  );
}
