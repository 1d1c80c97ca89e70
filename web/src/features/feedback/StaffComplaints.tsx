/** Staff side of 投诉: register a call to a complaint phone, and work one complaint (take, answer, print). */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { asApiError, fieldProblems, send, type UserOut } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { ErrorSummary, Field, Notice, describedBy } from '../../components/Form.tsx';
import type { ComplaintSubject } from '../../../../common/feedback.ts';
import { dueClass, dueText, feedbackApi, type ComplaintPhones } from './api.ts';
import { ComplaintFacts, ComplaintPhonesPanel, ComplaintSteps } from './MyComplaints.tsx';
import { ContentField, OfficeField, PrintButton, SubjectChoice, TextArea, useComplaintForm, type Msg } from './parts.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import './feedback.css';

export function StaffComplaintPage({ id }: { id: number }) {
  return <RequireLogin staff>{() => <StaffComplaint id={id} />}</RequireLogin>;
}

function StaffComplaint({ id }: { id: number }) {
  const {
    data: c,
    setData: setC,
    error: loadErr,
    reload: load,
  } = useLoad(async () => {
    const d = await feedbackApi.complaint(id);
    document.title = `投诉 ${d.complaintNo} · 工作台`;
    return d;
  }, [id]);
  const [msg, setMsg] = useState<Msg>(null);
  const [answer, setAnswer] = useState('');
  const [answerErr, setAnswerErr] = useState('');
  const [busy, setBusy] = useState(false);
  const fid = useId();
  if (loadErr) return <ErrorBox message={loadErr.message} retry={load} />;
  if (!c) return <Loading />;

  const take = async () => {
    setBusy(true);
    try {
      setC(await feedbackApi.takeComplaint(c.id));
      setMsg({ kind: 'ok', text: '已受理，投诉转为“处理中”。' });
    } catch (e) {
      setMsg({ kind: 'error', text: asApiError(e).message });
    } finally {
      setBusy(false);
    }
  };
  const submitAnswer = async (e: FormEvent) => {
    e.preventDefault();
    if (answer.trim().length < 5) return setAnswerErr('请填写答复内容（至少 5 个字）。');
    setAnswerErr('');
    setBusy(true);
    try {
      setC(await feedbackApi.answerComplaint(c.id, answer.trim()));
      setAnswer('');
      setMsg({ kind: 'ok', text: '已答复，投诉人将收到站内消息和短信。' });
    } catch (err) {
      const ae = asApiError(err);
      setAnswerErr(fieldProblems(ae)[0]?.message ?? '');
      setMsg({ kind: 'error', text: ae.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="fb-detail">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { href: '/staff/feedback?tab=complaints', label: '投诉' }, { label: c.complaintNo }]} />
      <h1>
        投诉 <span className="mono">{c.complaintNo}</span>
      </h1>
      <p>
        <span className={`status fb-st-${c.status}`}>{c.statusLabel}</span>{' '}
        {c.status !== 'answered' && <span className={dueClass(c)}>答复期限：{dueText(c)}</span>}
        {c.handlerName && <span className="muted small"> · 承办人：{c.handlerName}</span>}
      </p>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <ComplaintSteps c={c} />
      <ComplaintFacts c={c} staff />
      <section className="panel" aria-labelledby={`${fid}-ans-h`}>
        <h2 id={`${fid}-ans-h`}>答复</h2>
        {c.answer ? <p className="fb-answer">{c.answer}</p> : <p className="muted">尚未答复。</p>}
        {c.can.take && (
          <p className="no-print">
            <button type="button" className="btn secondary" onClick={() => void take()} disabled={busy}>
              受理（转为处理中）
            </button>
          </p>
        )}
        {c.can.answer && (
          <form className="fb-form no-print" onSubmit={submitAnswer} noValidate aria-label="答复投诉人">
            <TextArea
              id={`${fid}-answer`}
              label="答复内容"
              value={answer}
              onChange={setAnswer}
              error={answerErr}
              help="核查情况和处理结果。提交后以站内消息和短信发给投诉人。"
              rows={5}
            />
            <div className="actions-row">
              <button type="submit" className="btn primary" disabled={busy}>
                答复投诉人
              </button>
            </div>
          </form>
        )}
      </section>
      <PrintButton />
    </article>
  );
}

// ---- 登记电话投诉 ----

export function PhoneComplaintPage() {
  return <RequireLogin staff>{(me) => <PhoneComplaint me={me} />}</RequireLogin>;
}

interface Draft {
  subjectKind: ComplaintSubject | '';
  caseNo: string;
  officeId: string;
  staffId: string;
  personName: string;
  complainantName: string;
  complainantPhone: string;
  phoneLine: string;
  content: string;
}
const EMPTY: Draft = {
  subjectKind: '',
  caseNo: '',
  officeId: '',
  staffId: '',
  personName: '',
  complainantName: '',
  complainantPhone: '',
  phoneLine: '',
  content: '',
};
const DRAFT_KEY = 'fb.phone-complaint.draft';

function PhoneComplaint({ me }: { me: UserOut }) {
  const { d, set, errors, msg, busy, sendDraft, problems } = useComplaintForm(DRAFT_KEY, EMPTY);
  const [offices, setOffices] = useState<{ id: number; name: string }[]>([]);
  const [staff, setStaff] = useState<{ id: number; name: string }[]>([]);
  const [phones, setPhones] = useState<ComplaintPhones | null>(null);
  const fid = 'pc';
  useEffect(() => {
    document.title = '登记电话投诉 · 工作台';
    feedbackApi.offices().then(
      (r) => setOffices(r.items),
      () => setOffices([]),
    );
    send<{ items: { id: number; name: string }[] }>('GET', '/api/staff/colleagues').then(
      (r) => setStaff(r.items),
      () => setStaff([]),
    );
    if (me.agencyCode) feedbackApi.complaintPhones(me.agencyCode).then(setPhones, () => setPhones(null));
  }, [me.agencyCode]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // in the order of the fields on the page, so the error summary reads top to bottom
    const errs: Record<string, string> = {};
    if (!d.complainantName.trim()) errs.complainantName = '请填写来电人姓名。';
    if (!/^[0-9-]{5,20}$/.test(d.complainantPhone.trim())) errs.complainantPhone = '请填写来电号码（数字，可含“-”）。';
    if (!d.subjectKind) errs.subjectKind = '请选择投诉对象。';
    if (d.subjectKind === 'case' && !d.caseNo.trim()) errs.caseNo = '请填写办件编号。';
    if (d.subjectKind === 'office' && !d.officeId) errs.officeId = '请选择服务大厅。';
    if (d.subjectKind === 'person' && !d.staffId && !d.personName.trim()) errs.personName = '请选择工作人员或填写姓名、工号、窗口号。';
    if (d.content.trim().length < 10) errs.content = '请记录投诉内容（至少 10 个字）。';
    await sendDraft(errs, async () => {
      const out = await feedbackApi.registerComplaint({
        subjectKind: d.subjectKind as ComplaintSubject,
        caseNo: d.caseNo.trim() || undefined,
        officeId: d.officeId ? Number(d.officeId) : undefined,
        staffId: d.staffId ? Number(d.staffId) : undefined,
        personName: d.personName.trim() || undefined,
        complainantName: d.complainantName.trim(),
        complainantPhone: d.complainantPhone.trim(),
        phoneLine: d.phoneLine || undefined,
        content: d.content.trim(),
      });
      return `/staff/feedback/complaints/${out.id}`;
    });
  };
  const input = (k: keyof Draft, label: string, opts: { required?: boolean; help?: string; type?: string; max?: number } = {}) => (
    <Field id={`${fid}-${k}`} label={label} required={opts.required} error={errors[k]} help={opts.help}>
      <input
        id={`${fid}-${k}`}
        type={opts.type ?? 'text'}
        maxLength={opts.max ?? 50}
        value={d[k]}
        onChange={(e) => set(k, e.target.value)}
        aria-invalid={errors[k] ? true : undefined}
        aria-describedby={describedBy(`${fid}-${k}`, opts.help, errors[k])}
      />
    </Field>
  );
  return (
    <section className="fb-new">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { href: '/staff/feedback?tab=complaints', label: '投诉' }, { label: '登记电话投诉' }]} />
      <h1>登记电话投诉</h1>
      <div className="fb-two">
        <form className="panel form" onSubmit={submit} noValidate aria-label="登记电话投诉">
          <ErrorSummary title="请修改以下内容：" problems={problems} prefix={fid} />
          {msg && !problems.length && <Notice kind="error">{msg}</Notice>}
          <Field id={`${fid}-phoneLine`} label="来电线路（投诉电话）" help="来电打进的是哪一部投诉电话。">
            <select
              id={`${fid}-phoneLine`}
              value={d.phoneLine}
              onChange={(e) => set('phoneLine', e.target.value)}
              aria-describedby={`${fid}-phoneLine-help`}
            >
              <option value="">未记录</option>
              {[...(phones?.complaint.map((p) => p.phone) ?? []), ...(phones?.offices.flatMap((o) => o.phones) ?? [])]
                .filter((p, i, a) => a.indexOf(p) === i)
                .map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
            </select>
          </Field>
          {input('complainantName', '来电人姓名', { required: true })}
          {input('complainantPhone', '来电号码', {
            required: true,
            type: 'tel',
            max: 20,
            help: '手机号将收到登记和答复短信；与平台账号的手机号一致时，投诉会出现在其“我的投诉”中。',
          })}
          <SubjectChoice fid={fid} value={d.subjectKind} onChange={(k) => set('subjectKind', k)} error={errors.subjectKind} />
          {input('caseNo', '办件编号', { required: d.subjectKind === 'case', max: 40, help: '来电人提到的办件，可不填。' })}
          <OfficeField
            fid={fid}
            subject={d.subjectKind}
            value={d.officeId}
            onChange={(v) => set('officeId', v)}
            offices={offices}
            error={errors.officeId}
          />
          {d.subjectKind === 'person' && (
            <>
              <Field id={`${fid}-staffId`} label="被投诉的工作人员">
                <select id={`${fid}-staffId`} value={d.staffId} onChange={(e) => set('staffId', e.target.value)}>
                  <option value="">不确定</option>
                  {staff.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                </select>
              </Field>
              {input('personName', '姓名、工号或窗口号', { required: !d.staffId, help: '来电人描述的工作人员。' })}
            </>
          )}
          <ContentField fid={fid} value={d.content} onChange={(v) => set('content', v)} error={errors.content} />
          <div className="actions-row">
            <button type="submit" className="btn primary" disabled={busy}>
              {busy ? '正在登记…' : '登记投诉'}
            </button>
            <Link className="btn secondary" href="/staff/feedback?tab=complaints">
              取消
            </Link>
          </div>
        </form>
        <ComplaintPhonesPanel phones={phones} chosen />
      </div>
    </section>
  );
}
