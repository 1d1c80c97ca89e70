/** 代为登记: register a case received at the window or by e-mail, fax or post. */
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { api, asApiError, fieldProblems, type FieldProblem, type ItemOut, type UserOut } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { navigate } from '../../lib/router.tsx';
import { CHANNEL_LABELS, todayChina } from '../../lib/format.ts';
import { resolveForm } from '../../../../common/forms.ts';
import { citizenIdProblem } from '../../../../common/ids.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { ErrorSummary, Field, FormFieldInput, idProblemText } from '../../components/Form.tsx';

const CHANNELS = ['window', 'email', 'fax', 'post'] as const;

export function StaffRegisterPage() {
  return <RequireLogin staff>{(me) => <StaffRegister me={me} />}</RequireLogin>;
}

function StaffRegister({ me }: { me: UserOut }) {
  const [items, setItems] = useState<ItemOut[] | null>(null);
  const [loadErr, setLoadErr] = useState('');
  const [itemCode, setItemCode] = useState('');
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('window');
  const [receivedOn, setReceivedOn] = useState(todayChina());
  const [email, setEmail] = useState('');
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const id = useId();
  useEffect(() => {
    document.title = '代为登记 · 工作台';
    if (!me.agencyCode) return setLoadErr('您的账号未关联经办机构。');
    api.items(me.agencyCode).then(setItems, (e) => setLoadErr(asApiError(e).message));
  }, [me.agencyCode]);
  const item = items?.find((i) => i.code === itemCode);
  const form = useMemo(
    () => (item ? resolveForm({ questions: item.questions, materials: item.materials, form: undefined }, answers) : null),
    [item, answers],
  );

  if (loadErr) return <ErrorBox message={loadErr} />;
  if (!items) return <Loading />;

  const err = (f: string) => problems.find((p) => p.field === f)?.message;
  const labels: Record<string, string> = {
    itemCode: '事项',
    receivedOn: '收件日期',
    applicantEmail: '电子邮箱',
    ...Object.fromEntries((form?.fields ?? []).map((f) => [f.id, f.label])),
  };
  const change = (f: string, v: string) => {
    setAnswers((a) => ({ ...a, [f]: v }));
    setProblems((ps) => ps.filter((p) => p.field !== f));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p: FieldProblem[] = [];
    if (!item || !form) p.push({ field: 'itemCode', message: '请选择事项。' });
    if (!receivedOn || receivedOn > todayChina()) p.push({ field: 'receivedOn', message: '收件日期不能晚于今天。' });
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) p.push({ field: 'applicantEmail', message: '电子邮箱格式不正确。' });
    for (const f of form?.fields ?? []) {
      const v = (answers[f.id] ?? '').trim();
      if (f.required && !v) p.push({ field: f.id, message: `请填写“${f.label}”。` });
      else if (f.type === 'citizen_id' && v) {
        const t = idProblemText(citizenIdProblem(v, todayChina()));
        if (t) p.push({ field: f.id, message: t });
      } else if (f.type === 'mobile' && v && !/^1[3-9]\d{9}$/.test(v)) p.push({ field: f.id, message: '手机号码应为11位，以13–19开头。' });
    }
    setProblems(p);
    if (p.length || !item || !form) return;
    setBusy(true);
    try {
      const visible = Object.fromEntries(form.fields.map((f) => [f.id, (answers[f.id] ?? '').trim()]).filter(([, v]) => v));
      const d = await api.registerCase({ itemCode: item.code, channel, receivedOn, answers: visible, applicantEmail: email.trim() || undefined });
      navigate(`/staff/cases/${d.id}`);
    } catch (ex) {
      const a = asApiError(ex);
      const fp = fieldProblems(a);
      setProblems(fp.length ? fp : [{ field: a.code === 'ID_NO_INVALID' ? 'applicantIdNo' : '', message: a.message }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="narrow wide-ok">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: '代为登记' }]} />
      <h1>代为登记</h1>
      <p className="muted">登记窗口、电子邮件、传真或邮寄收到的申请。登记后在办件页上传收到的材料扫描件，再办理受理。</p>
      <form className="panel form" onSubmit={submit} noValidate>
        <ErrorSummary title={`请修改以下 ${problems.length} 处：`} problems={problems} labels={labels} />
        <Field id="f-itemCode" label="事项" required error={err('itemCode')}>
          <select id="f-itemCode" value={itemCode} onChange={(e) => setItemCode(e.target.value)} aria-invalid={err('itemCode') ? true : undefined}>
            <option value="">请选择事项</option>
            {items.map((i) => (
              <option key={i.code} value={i.code}>
                {i.code} {i.name}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="field choice">
          <legend>收件渠道</legend>
          {CHANNELS.map((ch) => (
            <label key={ch} className="opt">
              <input type="radio" name="channel" value={ch} checked={channel === ch} onChange={() => setChannel(ch)} />
              {CHANNEL_LABELS[ch]}
            </label>
          ))}
        </fieldset>
        <Field id="f-receivedOn" label="收件日期" required error={err('receivedOn')}>
          <input id="f-receivedOn" type="date" max={todayChina()} value={receivedOn} onChange={(e) => setReceivedOn(e.target.value)} />
        </Field>
        {form && (
          <>
            <h2>申请人与申请表</h2>
            {form.fields.map((f) => (
              <FormFieldInput key={f.id} field={f} value={answers[f.id] ?? ''} onChange={(v) => change(f.id, v)} error={err(f.id)} />
            ))}
            <Field id="f-applicantEmail" label="电子邮箱" error={err('applicantEmail')} help="填写后办理结果也会发送到该邮箱。">
              <input
                id="f-applicantEmail"
                type="email"
                autoComplete="off"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                aria-describedby={`f-applicantEmail-help${err('applicantEmail') ? ' f-applicantEmail-err' : ''}`}
              />
            </Field>
          </>
        )}
        <p className="muted small" id={`${id}-hint`}>
          登记后办件进入待受理队列，收件日期记为申请日期。
        </p>
        <button type="submit" className="btn primary wide" disabled={busy}>
          {busy ? '正在登记…' : '登记'}
        </button>
      </form>
    </section>
  );
}
