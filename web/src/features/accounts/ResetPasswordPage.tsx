/** 找回密码 (/reset-password): a code texted to the account's mobile, then a new password. */
import { useEffect, useState, type FormEvent } from 'react';
import { api, asApiError, fieldProblems, type FieldProblem } from '../../lib/api.ts';
import { Link } from '../../lib/router.tsx';
import { describedBy, ErrorSummary, Field, Notice } from '../../components/Form.tsx';
import { PASSWORD_MAX_LENGTH, PASSWORD_RULE_ZH, passwordLengthProblem, WEAK_PASSWORD_HINTS } from '../../../../common/passwords.ts';
import { securityApi } from './api.ts';
import { passwordFieldProblem } from './SecurityPage.tsx';

const LABELS: Record<string, string> = { mobile: '手机号', code: '验证码', password: '新密码', confirm: '确认新密码' };

export function ResetPasswordPage() {
  const [v, setV] = useState({ mobile: '', code: '', password: '', confirm: '' });
  const [errors, setErrors] = useState<FieldProblem[]>([]);
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const [countdown, setCountdown] = useState(0);
  const [smsNote, setSmsNote] = useState('');
  const [sent, setSent] = useState(false);
  const [devViewer, setDevViewer] = useState(false);
  const [done, setDone] = useState(false);
  useEffect(() => {
    document.title = '找回密码 · 医保经办服务平台';
  }, []);
  useEffect(() => {
    if (countdown <= 0) return;
    const t = setTimeout(() => setCountdown((c) => c - 1), 1000);
    return () => clearTimeout(t);
  }, [countdown]);

  const set = (k: keyof typeof v, val: string) => {
    setV((o) => ({ ...o, [k]: val }));
    setErrors((es) => es.filter((e) => e.field !== k));
  };
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  const mobileOk = /^1[3-9]\d{9}$/.test(v.mobile.trim());

  const sendCode = async () => {
    setSmsNote('');
    if (!mobileOk) return setErrors([{ field: 'mobile', message: '请先填写正确的11位手机号。' }]);
    try {
      const r = await api.smsCode(v.mobile.trim(), 'reset');
      setCountdown(60);
      setSent(true);
      setDevViewer(r.devViewer);
      // The same words whether or not the number has an account: the page never tells which.
      setSmsNote(`如果该手机号已注册，验证码已发送到这个号码，${Math.round(r.expiresInSeconds / 60)}分钟内有效。`);
    } catch (e) {
      setSmsNote(asApiError(e).message);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError('');
    const p: FieldProblem[] = [];
    if (!mobileOk) p.push({ field: 'mobile', message: '手机号码应为11位，以13–19开头。' });
    if (!/^\d{6}$/.test(v.code.trim())) p.push({ field: 'code', message: '验证码为6位数字。' });
    const len = passwordLengthProblem(v.password);
    if (len) p.push({ field: 'password', message: WEAK_PASSWORD_HINTS[len] });
    if (v.confirm !== v.password) p.push({ field: 'confirm', message: '两次输入的新密码不一致。' });
    setErrors(p);
    if (p.length) return;
    setBusy(true);
    try {
      await securityApi.resetPassword({ mobile: v.mobile.trim(), code: v.code.trim(), password: v.password });
      setDone(true);
    } catch (ex) {
      const a = asApiError(ex);
      const weak = passwordFieldProblem(ex, 'password');
      const fp = fieldProblems(a);
      if (weak) setErrors([weak]);
      else if (a.code === 'SMS_CODE_INVALID') setErrors([{ field: 'code', message: a.message }]);
      else if (fp.length) setErrors(fp);
      else setFormError(a.message);
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <section className="narrow">
        <h1>找回密码</h1>
        <Notice kind="ok">
          <p>密码已重置，所有设备上的登录都已退出。请用新密码登录。</p>
        </Notice>
        <p>
          <Link href="/login" className="btn">
            去登录
          </Link>
        </p>
      </section>
    );

  const input = (k: keyof typeof v, extra: Record<string, unknown>, help?: string) => (
    <input
      id={`rp-${k}`}
      name={k}
      value={v[k]}
      onChange={(e) => set(k, e.target.value)}
      aria-invalid={err(k) ? true : undefined}
      aria-describedby={describedBy(`rp-${k}`, help, err(k))}
      required
      {...extra}
    />
  );

  return (
    <section className="narrow">
      <h1>找回密码</h1>
      <p className="muted">
        用注册时的手机号接收验证码，然后设置新密码。工作人员账号请联系本机构管理员重置。想起密码了？<Link href="/login">返回登录</Link>
      </p>
      <form className="panel form" onSubmit={submit} noValidate>
        <ErrorSummary title={`请修改以下 ${errors.length} 处：`} problems={errors} prefix="rp" labels={LABELS} />
        {formError && <Notice kind="error">{formError}</Notice>}
        <Field id="rp-mobile" label="手机号" required error={err('mobile')}>
          {input('mobile', { type: 'tel', inputMode: 'numeric', autoComplete: 'tel', maxLength: 11 })}
        </Field>
        <div className="field">
          <button type="button" className="btn secondary" onClick={sendCode} disabled={countdown > 0}>
            {countdown > 0 ? `${countdown} 秒后可重新获取` : sent ? '重新获取验证码' : '获取验证码'}
          </button>
          <p role="status" className="help">
            {smsNote}
          </p>
          {sent && devViewer && mobileOk && (
            <p className="help">
              <a href={`/api/dev/sms?mobile=${encodeURIComponent(v.mobile.trim())}`} target="_blank" rel="noreferrer">
                开发环境：查看短信
              </a>
            </p>
          )}
        </div>
        <Field id="rp-code" label="验证码" required error={err('code')}>
          {input('code', { inputMode: 'numeric', autoComplete: 'one-time-code', maxLength: 6, className: 'mono short' })}
        </Field>
        <Field id="rp-password" label="新密码" required error={err('password')} help={PASSWORD_RULE_ZH}>
          {input('password', { type: 'password', autoComplete: 'new-password', maxLength: PASSWORD_MAX_LENGTH }, 'help')}
        </Field>
        <Field id="rp-confirm" label="确认新密码" required error={err('confirm')}>
          {input('confirm', { type: 'password', autoComplete: 'new-password', maxLength: PASSWORD_MAX_LENGTH })}
        </Field>
        <button type="submit" className="btn wide" disabled={busy}>
          {busy ? '正在重置…' : '重置密码'}
        </button>
      </form>
    </section>
  );
}
