import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, asApiError, fieldProblems, type AgencySummary, type FieldProblem } from '../lib/api.ts';
import { useMe } from '../lib/auth.tsx';
import { Link, navigate } from '../lib/router.tsx';
import { citizenIdProblem, usccProblem } from '../../../common/ids.ts';
import { describedBy, ErrorSummary, Field, idProblemText } from '../components/Form.tsx';
import { homeOf, safeNext } from './LoginPage.tsx';
import { todayChina } from '../lib/format.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_RULE_ZH, passwordLengthProblem, WEAK_PASSWORD_HINTS, weakPasswordHint } from '../../../common/passwords.ts';

type Kind = 'citizen' | 'agent' | 'unit';
const KINDS: { value: Kind; label: string; help: string }[] = [
  { value: 'citizen', label: '个人', help: '为本人办理' },
  { value: 'agent', label: '代办人', help: '受他人委托办理（需登记代办授权）' },
  { value: 'unit', label: '单位经办人', help: '为本单位职工办理' },
];
const LABELS: Record<string, string> = {
  mobile: '手机号',
  code: '验证码',
  name: '姓名',
  idNo: '公民身份号码',
  password: '密码',
  uscc: '统一社会信用代码',
  unitName: '单位名称',
  agencyCode: '参保所在经办机构',
};

export function RegisterPage({ next }: { next: string | null }) {
  const { refresh } = useMe();
  const [v, setV] = useState({
    kind: 'citizen' as Kind,
    mobile: '',
    code: '',
    name: '',
    idNo: '',
    password: '',
    uscc: '',
    unitName: '',
    agencyCode: '',
  });
  const [agencies, setAgencies] = useState<AgencySummary[]>([]);
  const [errors, setErrors] = useState<FieldProblem[]>([]);
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const [countdown, setCountdown] = useState(0);
  const [smsNote, setSmsNote] = useState('');
  const [smsSent, setSmsSent] = useState(false);
  const [devViewer, setDevViewer] = useState(false);
  const formErrRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    document.title = '注册 · 医保经办服务平台';
    api.agencies().then(setAgencies, () => setAgencies([]));
  }, []);
  useEffect(() => {
    if (countdown <= 0) return;
    const t = setTimeout(() => setCountdown((c) => c - 1), 1000);
    return () => clearTimeout(t);
  }, [countdown]);
  useEffect(() => {
    if (formError) formErrRef.current?.focus();
  }, [formError]);

  const set = (k: keyof typeof v, val: string) => setV((o) => ({ ...o, [k]: val }));
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  const mobileOk = /^1[3-9]\d{9}$/.test(v.mobile.trim());

  const sendCode = async () => {
    setSmsNote('');
    if (!mobileOk) {
      setErrors([{ field: 'mobile', message: '请先填写正确的11位手机号。' }]);
      return;
    }
    try {
      const r = await api.smsCode(v.mobile.trim(), 'register');
      setCountdown(60);
      setSmsSent(true);
      setDevViewer(r.devViewer);
      setSmsNote(`验证码已发送，${Math.round(r.expiresInSeconds / 60)}分钟内有效。`);
    } catch (e) {
      setSmsNote(asApiError(e).message);
    }
  };

  const validate = (): FieldProblem[] => {
    const p: FieldProblem[] = [];
    if (!mobileOk) p.push({ field: 'mobile', message: '手机号码应为11位，以13–19开头。' });
    if (!/^\d{6}$/.test(v.code.trim())) p.push({ field: 'code', message: '验证码为6位数字。' });
    if (!v.name.trim()) p.push({ field: 'name', message: '请输入姓名。' });
    const idp = idProblemText(citizenIdProblem(v.idNo, todayChina()));
    if (idp) p.push({ field: 'idNo', message: idp });
    const pw = passwordLengthProblem(v.password);
    if (pw) p.push({ field: 'password', message: WEAK_PASSWORD_HINTS[pw] });
    if (v.kind === 'unit') {
      const u = usccProblem(v.uscc);
      if (u)
        p.push({
          field: 'uscc',
          message: u === 'format' ? '统一社会信用代码应为18位（数字和大写字母，不含 I、O、S、V、Z）。' : '统一社会信用代码校验位不正确，请核对。',
        });
      if (!v.unitName.trim()) p.push({ field: 'unitName', message: '请输入单位名称。' });
      if (!v.agencyCode) p.push({ field: 'agencyCode', message: '请选择单位参保所在的经办机构。' });
    }
    return p;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError('');
    const p = validate();
    setErrors(p);
    if (p.length) return;
    setBusy(true);
    try {
      await api.register({
        kind: v.kind,
        mobile: v.mobile.trim(),
        code: v.code.trim(),
        name: v.name.trim(),
        idNo: v.idNo.trim().toUpperCase(),
        password: v.password,
        uscc: v.kind === 'unit' ? v.uscc.trim().toUpperCase() : undefined,
        unitName: v.kind === 'unit' ? v.unitName.trim() : undefined,
        agencyCode: v.kind === 'unit' ? v.agencyCode : undefined,
      });
      await refresh();
      navigate(safeNext(next) ?? homeOf(v.kind), { replace: true });
    } catch (ex) {
      const a = asApiError(ex);
      const fp = fieldProblems(a);
      if (fp.length) setErrors(fp);
      else {
        const map: Record<string, string> = {
          ID_NO_INVALID: 'idNo',
          MOBILE_TAKEN: 'mobile',
          SMS_CODE_INVALID: 'code',
          WEAK_PASSWORD: 'password',
          USCC_INVALID: 'uscc',
          UNIT_AGENCY_REQUIRED: 'agencyCode',
        };
        if (a.code === 'WEAK_PASSWORD') setErrors([{ field: 'password', message: weakPasswordHint(a.details) ?? a.message }]);
        else if (map[a.code]) setErrors([{ field: map[a.code]!, message: a.message }]);
        else setFormError(a.message);
      }
    } finally {
      setBusy(false);
    }
  };

  const input = (k: keyof typeof v, extra: Record<string, unknown> = {}, help?: string) => (
    <input
      id={`r-${k}`}
      name={k}
      value={v[k]}
      onChange={(e) => set(k, e.target.value)}
      aria-invalid={err(k) ? true : undefined}
      aria-describedby={describedBy(`r-${k}`, help, err(k))}
      required
      {...extra}
    />
  );

  return (
    <section className="narrow">
      <h1>注册账号</h1>
      <p className="muted">
        注册后可在网上申请、上传材料、查询办件进度。已有账号请直接<Link href={`/login${next ? `?next=${encodeURIComponent(next)}` : ''}`}>登录</Link>
        。
      </p>
      <form className="panel form" onSubmit={submit} noValidate>
        <ErrorSummary title={`请修改以下 ${errors.length} 处：`} problems={errors} prefix="r" labels={LABELS} />
        {formError && (
          <div className="error-box" role="alert" tabIndex={-1} ref={formErrRef}>
            <p>{formError}</p>
          </div>
        )}
        <fieldset className="field choice">
          <legend>账号类型</legend>
          {KINDS.map((k) => (
            <label key={k.value} className="opt">
              <input type="radio" name="kind" value={k.value} checked={v.kind === k.value} onChange={() => set('kind', k.value)} />
              {k.label}
              <span className="muted small">（{k.help}）</span>
            </label>
          ))}
        </fieldset>
        <Field id="r-mobile" label="手机号" required error={err('mobile')}>
          {input('mobile', { type: 'tel', inputMode: 'numeric', autoComplete: 'tel', maxLength: 11 })}
        </Field>
        <div className="field">
          <button type="button" className="btn secondary" onClick={sendCode} disabled={countdown > 0}>
            {countdown > 0 ? `${countdown} 秒后可重新获取` : smsSent ? '重新获取验证码' : '获取验证码'}
          </button>
          <p role="status" className="help">
            {smsNote}
          </p>
          {smsSent && devViewer && mobileOk && (
            <p className="help">
              <a href={`/api/dev/sms?mobile=${encodeURIComponent(v.mobile.trim())}`} target="_blank" rel="noreferrer">
                开发环境：查看短信
              </a>
            </p>
          )}
        </div>
        <Field id="r-code" label="验证码" required error={err('code')}>
          {input('code', { inputMode: 'numeric', autoComplete: 'one-time-code', maxLength: 6, className: 'mono short' })}
        </Field>
        <Field id="r-name" label="姓名" required error={err('name')}>
          {input('name', { autoComplete: 'name', maxLength: 50 })}
        </Field>
        <Field id="r-idNo" label="公民身份号码" required error={err('idNo')} help="18位，最后一位可为X。">
          {input(
            'idNo',
            {
              maxLength: 18,
              autoComplete: 'off',
              className: 'mono',
              spellCheck: false,
              onBlur: () => {
                if (!v.idNo) return;
                const p = idProblemText(citizenIdProblem(v.idNo, todayChina()));
                setErrors((es) => [...es.filter((x) => x.field !== 'idNo'), ...(p ? [{ field: 'idNo', message: p }] : [])]);
              },
            },
            'help',
          )}
        </Field>
        <Field id="r-password" label="密码" required error={err('password')} help={PASSWORD_RULE_ZH}>
          {input('password', { type: 'password', autoComplete: 'new-password', maxLength: PASSWORD_MAX_LENGTH }, 'help')}
        </Field>
        {v.kind === 'unit' && (
          <>
            <Field id="r-uscc" label="统一社会信用代码" required error={err('uscc')} help="18位，见营业执照或登记证书。">
              {input('uscc', { maxLength: 18, className: 'mono', autoComplete: 'off', spellCheck: false }, 'help')}
            </Field>
            <Field id="r-unitName" label="单位名称" required error={err('unitName')}>
              {input('unitName', { maxLength: 100, autoComplete: 'organization' })}
            </Field>
            <Field
              id="r-agencyCode"
              label="参保所在经办机构"
              required
              error={err('agencyCode')}
              help="由该机构审核您的经办人申请（本单位已登记参保的，以登记机构为准）。"
            >
              <select
                id="r-agencyCode"
                name="agencyCode"
                value={v.agencyCode}
                onChange={(e) => set('agencyCode', e.target.value)}
                aria-invalid={err('agencyCode') ? true : undefined}
                aria-describedby={describedBy('r-agencyCode', 'help', err('agencyCode'))}
                required
              >
                <option value="">请选择</option>
                {agencies.map((a) => (
                  <option key={a.code} value={a.code}>
                    {a.name}
                  </option>
                ))}
              </select>
            </Field>
            <p className="help" id="r-unit-note">
              注册后须经审核才能办理本单位业务：本单位已有经办人的，由其在单位网厅同意；尚无经办人的，请上传加盖单位公章的授权委托书，由经办机构审核。
            </p>
          </>
        )}
        <button type="submit" className="btn wide" disabled={busy}>
          {busy ? '正在注册…' : '注册并登录'}
        </button>
      </form>
    </section>
  );
}
