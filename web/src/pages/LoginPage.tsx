import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, asApiError } from '../lib/api.ts';
import { useMe } from '../lib/auth.tsx';
import { Link, navigate } from '../lib/router.tsx';
import { Field } from '../components/Form.tsx';

type Tab = 'citizen' | 'staff';

/** Only same-site paths are followed after login. */
/** Where an account lands after logging in or registering without a `next`. */
export function homeOf(kind: string | undefined): string {
  return kind === 'staff' ? '/staff' : kind === 'unit' ? '/unit' : '/me';
}

export function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/api/') ? next : null;
}

export function LoginPage({ next }: { next: string | null }) {
  const { refresh } = useMe();
  const [tab, setTab] = useState<Tab>('citizen');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const errRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    document.title = '登录 · 医保经办服务平台';
  }, []);
  useEffect(() => {
    if (error) errRef.current?.focus();
  }, [error]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    if (tab === 'citizen' && !/^1[3-9]\d{9}$/.test(login.trim())) return setError('手机号码应为11位，以13–19开头。');
    if (tab === 'staff' && !/^\d{6}$/.test(totp.trim())) return setError('动态验证码为6位数字，请打开身份验证器查看。');
    setBusy(true);
    try {
      const r = await api.login({ login: login.trim(), password, totp: tab === 'staff' ? totp.trim() : undefined });
      await refresh();
      navigate(safeNext(next) ?? homeOf(r.user?.kind), { replace: true });
    } catch (err) {
      setError(asApiError(err).message);
    } finally {
      setBusy(false);
    }
  };

  const tabs: { key: Tab; label: string }[] = [
    { key: 'citizen', label: '群众登录' },
    { key: 'staff', label: '工作人员登录' },
  ];
  return (
    <section className="narrow">
      <h1>登录</h1>
      <div role="tablist" aria-label="登录方式" className="tabs">
        {tabs.map((t) => (
          <button
            key={t.key}
            type="button"
            role="tab"
            id={`tab-${t.key}`}
            aria-selected={tab === t.key}
            aria-controls="login-panel"
            tabIndex={tab === t.key ? 0 : -1}
            onClick={() => {
              setTab(t.key);
              setError('');
            }}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                const other = t.key === 'citizen' ? 'staff' : 'citizen';
                setTab(other);
                document.getElementById(`tab-${other}`)?.focus();
              }
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <form id="login-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="panel form" onSubmit={submit} noValidate>
        {error && (
          <div className="error-box" role="alert" tabIndex={-1} ref={errRef}>
            <p>{error}</p>
          </div>
        )}
        {tab === 'citizen' ? (
          <Field id="login" label="手机号" required>
            <input
              id="login"
              type="tel"
              inputMode="numeric"
              autoComplete="username"
              maxLength={11}
              value={login}
              onChange={(e) => setLogin(e.target.value)}
              required
            />
          </Field>
        ) : (
          <Field id="login" label="账号" required>
            <input id="login" type="text" autoComplete="username" maxLength={64} value={login} onChange={(e) => setLogin(e.target.value)} required />
          </Field>
        )}
        <Field id="password" label="密码" required>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            maxLength={128}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </Field>
        {tab === 'staff' && (
          <Field id="totp" label="动态验证码" required help="身份验证器（TOTP）上显示的6位数字，每30秒更新。">
            <input
              id="totp"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\d{6}"
              maxLength={6}
              value={totp}
              onChange={(e) => setTotp(e.target.value.replace(/\D/g, ''))}
              aria-describedby="totp-help"
              required
              className="mono"
            />
          </Field>
        )}
        <button type="submit" className="btn wide" disabled={busy}>
          {busy ? '正在登录…' : '登录'}
        </button>
        {tab === 'citizen' ? (
          <p className="muted">
            <Link href="/reset-password">忘记密码</Link> · 还没有账号？
            <Link href={`/register${next ? `?next=${encodeURIComponent(next)}` : ''}`}>注册</Link>
          </p>
        ) : (
          <p className="muted">忘记密码或动态验证码失效，请联系本机构管理员重置。</p>
        )}
      </form>
    </section>
  );
}
