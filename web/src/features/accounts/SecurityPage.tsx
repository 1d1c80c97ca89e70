/** 账号安全 (/account/security): change the password, see where the account is signed in, sign out elsewhere. */
import { useEffect, useState, type FormEvent } from 'react';
import { asApiError, fieldProblems, type FieldProblem, type UserOut } from '../../lib/api.ts';
import { RequireLogin, useMe } from '../../lib/auth.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { fmtDateTime } from '../../lib/format.ts';
import { describedBy, ErrorSummary, Field, Notice } from '../../components/Form.tsx';
import { Pending } from '../../components/Layout.tsx';
import { PASSWORD_MAX_LENGTH, PASSWORD_RULE_ZH, passwordLengthProblem, WEAK_PASSWORD_HINTS, weakPasswordHint } from '../../../../common/passwords.ts';
import { securityApi, type SessionItem } from './api.ts';
import './accounts.css';

const LABELS: Record<string, string> = { current: '原密码', next: '新密码', confirm: '确认新密码' };

export function SecurityPage() {
  useEffect(() => {
    document.title = '账号安全 · 医保经办服务平台';
  }, []);
  return (
    <RequireLogin>
      {(me) => (
        <section className="narrow">
          <h1>账号安全</h1>
          <PasswordPanel me={me} />
          <SessionsPanel />
        </section>
      )}
    </RequireLogin>
  );
}

/** A WEAK_PASSWORD or other field error from the server, placed at its field. */
export function passwordFieldProblem(e: unknown, field: string): FieldProblem | null {
  const a = asApiError(e);
  if (a.code !== 'WEAK_PASSWORD') return null;
  return { field, message: weakPasswordHint(a.details) ?? a.message };
}

function PasswordPanel({ me }: { me: UserOut }) {
  const [v, setV] = useState({ current: '', next: '', confirm: '' });
  const [errors, setErrors] = useState<FieldProblem[]>([]);
  const [formError, setFormError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v, val: string) => {
    setV((o) => ({ ...o, [k]: val }));
    setErrors((es) => es.filter((e) => e.field !== k));
  };
  const err = (f: string) => errors.find((e) => e.field === f)?.message;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError('');
    setDone('');
    const p: FieldProblem[] = [];
    if (!v.current) p.push({ field: 'current', message: '请输入原密码。' });
    const len = passwordLengthProblem(v.next);
    if (len) p.push({ field: 'next', message: WEAK_PASSWORD_HINTS[len] });
    else if (v.next === v.current) p.push({ field: 'next', message: WEAK_PASSWORD_HINTS.same_as_current });
    if (v.confirm !== v.next) p.push({ field: 'confirm', message: '两次输入的新密码不一致。' });
    setErrors(p);
    if (p.length) return;
    setBusy(true);
    try {
      const r = await securityApi.changePassword({ current: v.current, next: v.next });
      setV({ current: '', next: '', confirm: '' });
      setDone(r.revokedSessions > 0 ? `密码已修改，其他 ${r.revokedSessions} 处登录已退出。` : '密码已修改。');
      window.dispatchEvent(new Event('yb:sessions-changed'));
    } catch (ex) {
      const a = asApiError(ex);
      const weak = passwordFieldProblem(ex, 'next');
      const fp = fieldProblems(a);
      if (weak) setErrors([weak]);
      else if (a.code === 'CURRENT_PASSWORD_WRONG') setErrors([{ field: 'current', message: a.message }]);
      else if (fp.length) setErrors(fp);
      else setFormError(a.message);
    } finally {
      setBusy(false);
    }
  };

  const input = (k: keyof typeof v, autoComplete: string, help?: string) => (
    <input
      id={`pw-${k}`}
      name={k}
      type="password"
      autoComplete={autoComplete}
      maxLength={PASSWORD_MAX_LENGTH}
      value={v[k]}
      onChange={(e) => set(k, e.target.value)}
      aria-invalid={err(k) ? true : undefined}
      aria-describedby={describedBy(`pw-${k}`, help, err(k))}
      required
    />
  );

  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="pw-title">
      <h2 id="pw-title">修改密码</h2>
      <p className="muted">账号：{me.login}。修改后，其他手机或电脑上的登录会退出，本机保持登录。忘记原密码可退出后在登录页选择“忘记密码”。</p>
      <ErrorSummary title={`请修改以下 ${errors.length} 处：`} problems={errors} prefix="pw" labels={LABELS} />
      {formError && <Notice kind="error">{formError}</Notice>}
      {done && <Notice kind="ok">{done}</Notice>}
      <Field id="pw-current" label="原密码" required error={err('current')}>
        {input('current', 'current-password')}
      </Field>
      <Field id="pw-next" label="新密码" required error={err('next')} help={PASSWORD_RULE_ZH}>
        {input('next', 'new-password', 'help')}
      </Field>
      <Field id="pw-confirm" label="确认新密码" required error={err('confirm')}>
        {input('confirm', 'new-password')}
      </Field>
      <button type="submit" className="btn" disabled={busy}>
        {busy ? '正在修改…' : '修改密码'}
      </button>
    </form>
  );
}

function SessionsPanel() {
  const { refresh } = useMe();
  const list = useLoad(() => securityApi.sessions(), []);
  const [note, setNote] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const { reload } = list;
  useEffect(() => {
    const on = () => void reload();
    window.addEventListener('yb:sessions-changed', on);
    return () => window.removeEventListener('yb:sessions-changed', on);
  }, [reload]);

  const act = async (fn: () => Promise<string>) => {
    setBusy(true);
    setNote(null);
    try {
      setNote({ kind: 'ok', text: await fn() });
      await list.reload();
    } catch (e) {
      setNote({ kind: 'error', text: asApiError(e).message });
    } finally {
      setBusy(false);
    }
  };
  const revokeOthers = () =>
    act(async () => {
      const r = await securityApi.revokeOthers();
      return r.revoked > 0 ? `已在其他 ${r.revoked} 处设备上退出。` : '没有其他设备在登录。';
    });
  const revokeOne = (s: SessionItem) =>
    act(async () => {
      const r = await securityApi.revokeSession(s.id);
      if (r.current) await refresh();
      return `已退出：${s.device}。`;
    });

  return (
    <section className="panel" aria-labelledby="sess-title">
      <h2 id="sess-title">登录设备</h2>
      {list.status !== 'ok' ? (
        <Pending error={list.error} retry={list.reload} />
      ) : (
        <>
          <p className="muted">
            以下是本账号当前有效的登录。超过 {list.data.idleMinutes >= 60 ? `${list.data.idleMinutes / 60} 小时` : `${list.data.idleMinutes} 分钟`}
            未操作的登录会自动退出。发现不认识的设备，请退出它并修改密码。
          </p>
          {note && <Notice kind={note.kind}>{note.text}</Notice>}
          <ul className="session-list">
            {list.data.items.map((s) => (
              <li key={s.id} className="session-item">
                <p>
                  <strong>{s.device}</strong>
                  {s.current && <span className="tag ok">本机</span>}
                </p>
                <p className="muted small">
                  登录于 {fmtDateTime(s.createdAt)} · 最近使用 {fmtDateTime(s.lastSeenAt)}
                  {s.ip ? ` · IP ${s.ip}` : ''}
                </p>
                {!s.current && (
                  <button type="button" className="btn secondary small" disabled={busy} onClick={() => void revokeOne(s)}>
                    退出此设备
                    <span className="sr-only">
                      （{s.device}，登录于 {fmtDateTime(s.createdAt)}）
                    </span>
                  </button>
                )}
              </li>
            ))}
          </ul>
          <button type="button" className="btn" disabled={busy || list.data.items.every((s) => s.current)} onClick={() => void revokeOthers()}>
            在其他设备上退出
          </button>
        </>
      )}
    </section>
  );
}
