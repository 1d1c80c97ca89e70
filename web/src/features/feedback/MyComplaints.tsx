/** 我的投诉: the list, the online complaint form (with the right complaint phones) and one complaint's progress and answer. */
import { useEffect, useState, type FormEvent } from 'react';
import { api, asApiError, type AgencySummary, type CaseSummary, type OfficeOut, type UserOut } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { fmtDate, fmtDateTime } from '../../lib/format.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { ErrorSummary, Field, Notice, describedBy } from '../../components/Form.tsx';
import { Phones } from '../../components/Contact.tsx';
import type { ComplaintSubject } from '../../../../common/feedback.ts';
import { dueText, feedbackApi, type ComplaintOut, type ComplaintPhones } from './api.ts';
import { ContentField, OfficeField, PrintButton, SubjectChoice, useComplaintForm } from './parts.tsx';
import './feedback.css';
import { DueDate, ProvisionalNote } from '../../components/DateText.tsx';

export function MyComplaintsPage() {
  return <RequireLogin staff={false}>{() => <MyComplaints />}</RequireLogin>;
}

function MyComplaints() {
  const s = useLoad(() => feedbackApi.myComplaints(), []);
  useEffect(() => {
    document.title = '我的投诉 · 医保经办服务平台';
  }, []);
  return (
    <section>
      <Crumbs items={[{ href: '/', label: '首页' }, { href: '/me', label: '我的办件' }, { label: '我的投诉' }]} />
      <div className="page-head">
        <h1>我的投诉</h1>
        <div className="actions-row">
          <Link className="btn primary" href="/me/complaints/new">
            我要投诉
          </Link>
        </div>
      </div>
      <p className="muted">网上投诉和您拨打投诉电话登记的投诉都在这里，可查看办理进度和答复。</p>
      {s.status === 'loading' && <Loading />}
      {s.status === 'error' && <ErrorBox message={s.error.message} />}
      {s.status === 'ok' &&
        (s.data.items.length === 0 ? (
          <div className="empty">
            <p>您还没有投诉记录。</p>
          </div>
        ) : (
          <ul className="case-list fb-cards">
            {s.data.items.map((c) => (
              <li key={c.id}>
                <Link href={`/me/complaints/${c.id}`} className="case-link">
                  <span className="case-title">
                    {c.subjectLabel}投诉{c.caseNo ? `：${c.caseNo}` : c.officeName ? `：${c.officeName}` : ''}
                  </span>
                  <span className={`status fb-st-${c.status}`}>{c.statusLabel}</span>
                </Link>
                <dl className="case-meta">
                  <div>
                    <dt>投诉编号</dt>
                    <dd className="mono">{c.complaintNo}</dd>
                  </div>
                  <div>
                    <dt>经办机构</dt>
                    <dd>{c.agencyName}</dd>
                  </div>
                  <div>
                    <dt>登记时间</dt>
                    <dd>{fmtDateTime(c.registeredAt)}</dd>
                  </div>
                  <div>
                    <dt>{c.status === 'answered' ? '答复时间' : '答复期限'}</dt>
                    <dd>{c.status === 'answered' ? fmtDateTime(c.answeredAt) : dueText(c)}</dd>
                  </div>
                </dl>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}

// ---- the online form ----

interface Draft {
  agencyCode: string;
  subjectKind: ComplaintSubject | '';
  caseId: string;
  officeId: string;
  personName: string;
  content: string;
  phone: string;
}
const DRAFT_KEY = 'fb.complaint.draft';
const EMPTY: Draft = { agencyCode: '', subjectKind: '', caseId: '', officeId: '', personName: '', content: '', phone: '' };

export function NewComplaintPage({ agency, caseId }: { agency?: string; caseId?: number }) {
  return <RequireLogin staff={false}>{(me) => <NewComplaint me={me} agency={agency} caseId={caseId} />}</RequireLogin>;
}

function NewComplaint({ me, agency, caseId }: { me: UserOut; agency?: string; caseId?: number }) {
  const { d, setD, set, errors, msg, busy, sendDraft, problems } = useComplaintForm(DRAFT_KEY, EMPTY, (base) =>
    agency || caseId
      ? {
          ...base,
          agencyCode: agency ?? base.agencyCode,
          caseId: caseId ? String(caseId) : base.caseId,
          subjectKind: caseId ? 'case' : base.subjectKind,
        }
      : base,
  );
  const [agencies, setAgencies] = useState<AgencySummary[]>([]);
  const [cases, setCases] = useState<CaseSummary[]>([]);
  const [offices, setOffices] = useState<OfficeOut[]>([]);
  const [phones, setPhones] = useState<ComplaintPhones | null>(null);
  const [phonesError, setPhonesError] = useState('');
  const [phonesRetry, setPhonesRetry] = useState(0);
  const fid = 'tc';

  useEffect(() => {
    document.title = '我要投诉 · 医保经办服务平台';
    api.agencies().then(setAgencies, () => setAgencies([]));
    api.myCases(1, 100).then(
      (r) => setCases(r.items.filter((c) => c.status !== 'draft')),
      () => setCases([]),
    );
  }, []);
  const chosenCase = cases.find((c) => String(c.id) === d.caseId);
  useEffect(() => {
    if (!d.agencyCode) {
      setOffices([]);
      setPhones(null);
      return;
    }
    let live = true;
    api.offices(d.agencyCode).then(
      (o) => live && setOffices(o),
      () => live && setOffices([]),
    );
    // A stale answer (the agency or case changed meanwhile) is dropped; a failed one says so instead of loading for ever.
    setPhonesError('');
    feedbackApi.complaintPhones(d.agencyCode, chosenCase?.itemCode).then(
      (p) => live && setPhones(p),
      (e: unknown) => {
        if (!live) return;
        setPhones(null);
        setPhonesError(asApiError(e).message);
      },
    );
    return () => {
      live = false;
    };
  }, [d.agencyCode, chosenCase?.itemCode, phonesRetry]);

  const pickCase = (id: string) => {
    const c = cases.find((x) => String(x.id) === id);
    setD((x) => ({ ...x, caseId: id, agencyCode: c ? c.agencyCode : x.agencyCode }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!d.agencyCode) errs.agencyCode = '请选择经办机构。';
    if (!d.subjectKind) errs.subjectKind = '请选择投诉对象。';
    if (d.subjectKind === 'case' && !d.caseId) errs.caseId = '请选择要投诉的办件。';
    if (d.subjectKind === 'office' && !d.officeId) errs.officeId = '请选择服务大厅。';
    if (d.subjectKind === 'person' && !d.personName.trim()) errs.personName = '请填写工作人员姓名或工号（不清楚可写窗口号和时间）。';
    if (d.content.trim().length < 10) errs.content = '请把情况写清楚（至少 10 个字）。';
    if (d.phone && !/^[0-9-]{5,20}$/.test(d.phone.trim())) errs.phone = '请填写手机号或固定电话（数字，可含“-”）。';
    await sendDraft(errs, async () => {
      const out = await feedbackApi.createComplaint({
        agencyCode: d.agencyCode,
        subjectKind: d.subjectKind as ComplaintSubject,
        caseId: d.caseId ? Number(d.caseId) : undefined,
        officeId: d.officeId ? Number(d.officeId) : undefined,
        personName: d.personName.trim() || undefined,
        content: d.content.trim(),
        phone: d.phone.trim() || undefined,
      });
      return `/me/complaints/${out.id}?new=1`;
    });
  };

  const agencyCases = cases.filter((c) => !d.agencyCode || c.agencyCode === d.agencyCode);
  return (
    <section className="fb-new">
      <Crumbs items={[{ href: '/', label: '首页' }, { href: '/me/complaints', label: '我的投诉' }, { label: '我要投诉' }]} />
      <h1>我要投诉</h1>
      <p className="muted">{me.name}，您好。请如实说明情况，我们会在规定的工作日内答复您（站内消息和短信）。也可以拨打下方的投诉电话。</p>
      <div className="fb-two">
        <form className="panel form" onSubmit={submit} noValidate aria-label="网上投诉">
          <ErrorSummary title="请修改以下内容：" problems={problems} prefix={fid} />
          {msg && !problems.length && <Notice kind="error">{msg}</Notice>}
          <Field id={`${fid}-agencyCode`} label="经办机构" required error={errors.agencyCode}>
            <select
              id={`${fid}-agencyCode`}
              value={d.agencyCode}
              onChange={(e) => setD((x) => ({ ...x, agencyCode: e.target.value, caseId: '', officeId: '' }))}
              aria-invalid={errors.agencyCode ? true : undefined}
              aria-describedby={describedBy(`${fid}-agencyCode`, undefined, errors.agencyCode)}
            >
              <option value="">请选择</option>
              {agencies.map((a) => (
                <option key={a.code} value={a.code}>
                  {a.name}
                </option>
              ))}
            </select>
          </Field>
          <SubjectChoice fid={fid} value={d.subjectKind} onChange={(k) => set('subjectKind', k)} error={errors.subjectKind} />
          <Field
            id={`${fid}-caseId`}
            label="相关办件"
            required={d.subjectKind === 'case'}
            error={errors.caseId}
            help="可选择您的一个办件，便于我们核查。"
          >
            <select
              id={`${fid}-caseId`}
              value={d.caseId}
              onChange={(e) => pickCase(e.target.value)}
              aria-invalid={errors.caseId ? true : undefined}
              aria-describedby={describedBy(`${fid}-caseId`, true, errors.caseId)}
            >
              <option value="">不关联办件</option>
              {agencyCases.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.caseNo} {c.itemName}（{c.statusLabel}）
                </option>
              ))}
            </select>
          </Field>
          <OfficeField
            fid={fid}
            subject={d.subjectKind}
            value={d.officeId}
            onChange={(v) => set('officeId', v)}
            offices={offices}
            error={errors.officeId}
          />
          {d.subjectKind === 'person' && (
            <Field id={`${fid}-personName`} label="工作人员姓名或工号" required error={errors.personName} help="不清楚姓名时，可写窗口号和办理时间。">
              <input
                id={`${fid}-personName`}
                value={d.personName}
                maxLength={50}
                onChange={(e) => set('personName', e.target.value)}
                aria-invalid={errors.personName ? true : undefined}
                aria-describedby={describedBy(`${fid}-personName`, true, errors.personName)}
              />
            </Field>
          )}
          <ContentField
            fid={fid}
            value={d.content}
            onChange={(v) => set('content', v)}
            error={errors.content}
            help="时间、地点、经过和您的诉求，10–2000 字。"
          />
          <Field
            id={`${fid}-phone`}
            label="联系电话"
            error={errors.phone}
            help={`不填则使用您注册的手机号${me.mobileMasked ? `（${me.mobileMasked}）` : ''}。`}
          >
            <input
              id={`${fid}-phone`}
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              maxLength={20}
              value={d.phone}
              onChange={(e) => set('phone', e.target.value)}
              aria-invalid={errors.phone ? true : undefined}
              aria-describedby={describedBy(`${fid}-phone`, true, errors.phone)}
            />
          </Field>
          <div className="actions-row">
            <button type="submit" className="btn primary" disabled={busy}>
              {busy ? '正在提交…' : '提交投诉'}
            </button>
            <Link className="btn secondary" href="/me/complaints">
              返回我的投诉
            </Link>
          </div>
        </form>
        <ComplaintPhonesPanel phones={phones} chosen={d.agencyCode !== ''} error={phonesError} retry={() => setPhonesRetry((n) => n + 1)} />
      </div>
    </section>
  );
}

export function ComplaintPhonesPanel({
  phones,
  chosen,
  error = '',
  retry,
}: {
  phones: ComplaintPhones | null;
  chosen: boolean;
  error?: string;
  retry?: () => void;
}) {
  return (
    <aside className="panel fb-phones" aria-labelledby="fb-phones-h">
      <h2 id="fb-phones-h">投诉电话</h2>
      {!chosen && <p className="muted">选择经办机构后，这里显示该机构办事指南所列的投诉电话。</p>}
      {chosen && !phones && error && <ErrorBox message={`投诉电话暂时没有加载出来：${error}`} retry={retry} />}
      {chosen && !phones && !error && <Loading />}
      {phones && (
        <>
          <p className="muted small">{phones.source}。</p>
          {phones.complaint.length > 0 && (
            <ul className="fb-phone-list">
              {phones.complaint.map((p) => (
                <li key={p.phone}>
                  <strong className="fb-phone">
                    <Phones list={[p.phone]} />
                  </strong>
                  {p.items.length > 0 && (
                    <span className="muted small">
                      {' '}
                      适用：{p.items.slice(0, 3).join('、')}
                      {p.items.length > 3 ? ` 等 ${p.items.length} 项` : ''}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
          {phones.consult.length > 0 && (
            <p className="small">
              咨询电话：
              <Phones list={phones.consult} />
            </p>
          )}
          {phones.offices.length > 0 && (
            <details className="fb-offices" open={phones.complaint.length === 0}>
              <summary>服务大厅电话（{phones.offices.length}）</summary>
              <ul className="fb-phone-list">
                {phones.offices.map((o) => (
                  <li key={o.id}>
                    {o.name}：<Phones list={o.phones} />
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </aside>
  );
}

// ---- one complaint ----

export function MyComplaintPage({ id, fresh }: { id: number; fresh: boolean }) {
  return <RequireLogin>{() => <MyComplaint id={id} fresh={fresh} />}</RequireLogin>;
}

function MyComplaint({ id, fresh }: { id: number; fresh: boolean }) {
  const s = useLoad(() => feedbackApi.complaint(id), [id]);
  useEffect(() => {
    if (s.status === 'ok') document.title = `投诉 ${s.data.complaintNo} · 医保经办服务平台`;
  }, [s]);
  if (s.status === 'loading') return <Loading />;
  if (s.status === 'error') return <ErrorBox message={s.error.message} />;
  const c = s.data;
  return (
    <article className="fb-detail">
      <Crumbs items={[{ href: '/', label: '首页' }, { href: '/me/complaints', label: '我的投诉' }, { label: c.complaintNo }]} />
      <h1>投诉 {c.complaintNo}</h1>
      {fresh && (
        <Notice kind="ok">
          投诉已提交，编号 {c.complaintNo}。我们会在 {c.dueDate ? <DueDate date={c.dueDate} provisional={c.dueProvisional} /> : '规定期限'}{' '}
          前答复您，答复将以站内消息和短信告知。
        </Notice>
      )}
      <ComplaintSteps c={c} />
      <ComplaintFacts c={c} />
      <section className="panel" aria-labelledby="fb-answer-h">
        <h2 id="fb-answer-h">答复</h2>
        {c.answer ? (
          <>
            <p className="fb-answer">{c.answer}</p>
            <p className="muted small">答复时间：{fmtDateTime(c.answeredAt)}</p>
          </>
        ) : (
          <p className="muted">尚未答复。答复期限：{dueText(c)}。</p>
        )}
      </section>
      <PrintButton label="打印本页" />
    </article>
  );
}

export function ComplaintSteps({ c }: { c: ComplaintOut }) {
  const steps = [
    { key: 'registered', label: '已登记', at: c.registeredAt },
    { key: 'processing', label: '处理中', at: c.processingAt },
    { key: 'answered', label: '已答复', at: c.answeredAt },
  ];
  const reached = steps.findIndex((x) => x.key === c.status);
  return (
    <ol className="fb-steps" aria-label="办理进度">
      {steps.map((x, i) => (
        <li key={x.key} className={i <= reached ? 'done' : undefined} aria-current={i === reached ? 'step' : undefined}>
          <span className="fb-step-label">{x.label}</span>
          <span className="fb-step-at">{i <= reached && x.at ? fmtDateTime(x.at) : ''}</span>
        </li>
      ))}
    </ol>
  );
}

export function ComplaintFacts({ c, staff }: { c: ComplaintOut; staff?: boolean }) {
  return (
    <section className="panel" aria-labelledby="fb-facts-h">
      <h2 id="fb-facts-h">投诉内容</h2>
      <dl className="kv fb-kv">
        <dt>经办机构</dt>
        <dd>{c.agencyName}</dd>
        <dt>投诉对象</dt>
        <dd>
          {c.subjectLabel}
          {c.personName ? `：${c.personName}` : ''}
        </dd>
        {c.caseNo && (
          <>
            <dt>相关办件</dt>
            <dd className="mono">{staff && c.caseId ? <Link href={`/staff/cases/${c.caseId}`}>{c.caseNo}</Link> : c.caseNo}</dd>
          </>
        )}
        {c.officeName && (
          <>
            <dt>服务大厅</dt>
            <dd>{c.officeName}</dd>
          </>
        )}
        <dt>渠道</dt>
        <dd>
          {c.channelLabel}
          {c.phoneLine ? `（${c.phoneLine}）` : ''}
        </dd>
        <dt>投诉人</dt>
        <dd>
          {c.complainantName}
          {c.complainantPhone ? `，${c.complainantPhone}` : ''}
        </dd>
        <dt>登记时间</dt>
        <dd>{fmtDateTime(c.registeredAt)}</dd>
        <dt>答复期限</dt>
        <dd>
          {c.dueDate ? (
            <>
              <DueDate date={fmtDate(c.dueDate)} provisional={c.dueProvisional} />（{c.days} 个工作日）
              {c.dueProvisional && <ProvisionalNote what="答复期限" />}
            </>
          ) : (
            (c.calendarProblem ?? '—')
          )}
        </dd>
      </dl>
      <h3>内容</h3>
      <p className="fb-content">{c.content}</p>
    </section>
  );
}
