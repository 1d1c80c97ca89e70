/**
 * /staff/identity: 窗口核验账号身份. A citizen whose registry mobile number has changed (or who
 * has none) brings the ID card to a window; the clerk checks the card, enters the account's mobile
 * number and the ID number, and the server binds the account (recorded and audited).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, asApiError, type WindowCheckOut } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Crumbs } from '../../components/Layout.tsx';
import { ErrorSummary, Field, Notice, describedBy, idProblemText } from '../../components/Form.tsx';
import { citizenIdProblem, isMobile } from '../../../../common/ids.ts';
import { todayChina } from '../../lib/format.ts';

const LABELS = { login: '账号手机号', idNo: '公民身份号码', cardChecked: '已核验身份证原件' };

export function IdentityCheckPage() {
  return <RequireLogin staff>{() => <IdentityCheck />}</RequireLogin>;
}

function IdentityCheck() {
  const [v, setV] = useState({ login: '', idNo: '', cardChecked: false });
  const [problems, setProblems] = useState<{ field: string; message: string }[]>([]);
  const [error, setError] = useState('');
  const [done, setDone] = useState<WindowCheckOut | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = '窗口核验账号身份 · 医保经办服务平台';
  }, []);
  const err = (f: string) => problems.find((p) => p.field === f)?.message;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    setDone(null);
    const p: { field: string; message: string }[] = [];
    if (!isMobile(v.login)) p.push({ field: 'login', message: '请输入申请人注册账号时使用的11位手机号。' });
    const idp = idProblemText(citizenIdProblem(v.idNo, todayChina()));
    if (idp) p.push({ field: 'idNo', message: v.idNo.trim() ? idp : '请输入身份证上的公民身份号码。' });
    if (!v.cardChecked) p.push({ field: 'cardChecked', message: '请先查验居民身份证原件（人证一致），再勾选。' });
    setProblems(p);
    if (p.length) return;
    setBusy(true);
    try {
      setDone(await api.windowCheck({ login: v.login.trim(), idNo: v.idNo.trim().toUpperCase(), cardChecked: true }));
      setV({ login: '', idNo: '', cardChecked: false });
    } catch (ex) {
      setError(asApiError(ex).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: '窗口核验账号身份' }]} />
      <h1>窗口核验账号身份</h1>
      <p className="muted">
        申请人在医保部门登记的手机号码已变更、或没有登记手机号码时，可持居民身份证到窗口核验。请查验身份证原件、人证一致后，输入其注册账号的手机号和身份证上的公民身份号码。核验记录会写入审计日志。
      </p>
      {done && (
        <Notice kind="ok">
          已核验：{done.name}（{done.idNoMasked}）的账号。
          {done.alreadyVerified ? '该账号此前已核验，本次重新记录。' : '申请人重新登录或刷新页面后即可自检、提交申请。'}
        </Notice>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      <form className="panel form" onSubmit={submit} noValidate aria-label="窗口核验账号身份">
        <ErrorSummary title={`请修改以下 ${problems.length} 处：`} problems={problems} prefix="ic" labels={LABELS} />
        <Field id="ic-login" label={LABELS.login} required error={err('login')}>
          <input
            id="ic-login"
            type="tel"
            inputMode="numeric"
            maxLength={11}
            autoComplete="off"
            value={v.login}
            onChange={(e) => setV({ ...v, login: e.target.value })}
            aria-invalid={err('login') ? true : undefined}
            aria-describedby={describedBy('ic-login', undefined, err('login'))}
          />
        </Field>
        <Field id="ic-idNo" label={LABELS.idNo} required error={err('idNo')}>
          <input
            id="ic-idNo"
            className="mono"
            maxLength={18}
            autoComplete="off"
            spellCheck={false}
            value={v.idNo}
            onChange={(e) => setV({ ...v, idNo: e.target.value })}
            aria-invalid={err('idNo') ? true : undefined}
            aria-describedby={describedBy('ic-idNo', undefined, err('idNo'))}
          />
        </Field>
        <p className="check">
          <label>
            <input
              id="ic-cardChecked"
              type="checkbox"
              checked={v.cardChecked}
              onChange={(e) => setV({ ...v, cardChecked: e.target.checked })}
              aria-invalid={err('cardChecked') ? true : undefined}
            />{' '}
            {LABELS.cardChecked}（人证一致）
          </label>
          {err('cardChecked') && <span className="field-error">{err('cardChecked')}</span>}
        </p>
        <button type="submit" className="btn" disabled={busy}>
          {busy ? '正在核验…' : '核验并绑定账号'}
        </button>
      </form>
    </section>
  );
}
