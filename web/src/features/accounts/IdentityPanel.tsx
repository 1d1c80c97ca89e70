/**
 * 核验身份: until an account's ID number is verified it is only a claim, and the server shows no
 * registry fact and takes no application. A code goes to the mobile number the registry holds for
 * that person (预留手机号); entering it binds the account. The server says whether a number exists
 * by saying nothing: the same answer either way, so the page always tells the window alternative.
 */
import { useState, type FormEvent } from 'react';
import { api, asApiError } from '../../lib/api.ts';
import { useMe } from '../../lib/auth.tsx';
import { Field, Notice } from '../../components/Form.tsx';

export function IdentityPanel({ headingLevel = 2 }: { headingLevel?: 2 | 3 }) {
  const { refresh } = useMe();
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const H = headingLevel === 2 ? 'h2' : 'h3';

  const send = async () => {
    setError('');
    setBusy(true);
    try {
      const r = await api.identityCode();
      setSent(true);
      setNotice(`验证码已发送到您在医保部门登记的手机号码，${Math.round(r.expiresInSeconds / 60)}分钟内有效。`);
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  const verify = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    if (!/^\d{6}$/.test(code.trim())) {
      setError('请输入6位数字验证码。');
      return;
    }
    setBusy(true);
    try {
      await api.verifyIdentity(code.trim());
      await refresh();
    } catch (ex) {
      setError(asApiError(ex).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel identity warn-box" aria-labelledby="identity-h">
      <H id="identity-h">核验身份</H>
      <p>您的公民身份号码尚未核验。核验前可以查看办事指南、生成材料清单和保存草稿，但不能查看参保信息、进行办理条件自检或提交申请。</p>
      <p className="muted small">
        我们会把验证码发送到您在医保部门登记的手机号码（预留手机号），不是您注册时填写的号码。号码已变更或收不到短信的，请携带居民身份证到任一经办窗口核验。
      </p>
      {notice && <Notice kind="ok">{notice}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      {!sent ? (
        <button type="button" className="btn" onClick={send} disabled={busy}>
          {busy ? '正在发送…' : '发送验证码到预留手机号'}
        </button>
      ) : (
        <form className="form" onSubmit={verify} noValidate aria-label="输入身份核验验证码">
          <Field id="identity-code" label="验证码" required>
            <input
              id="identity-code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              className="short mono"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              required
            />
          </Field>
          <div className="actions-row">
            <button type="submit" className="btn" disabled={busy}>
              {busy ? '正在核验…' : '核验'}
            </button>
            <button type="button" className="btn secondary" onClick={send} disabled={busy}>
              重新发送
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
