/** 代办授权 on /me: the people this account may apply for, and the form to record a new authorisation. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, asApiError, fieldProblems, type Authorisation, type FieldProblem } from '../../lib/api.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { todayChina } from '../../lib/format.ts';
import { citizenIdProblem, isMobile } from '../../../../common/ids.ts';
import { describedBy, ErrorSummary, Field, idProblemText, Notice } from '../../components/Form.tsx';
import { ErrorBox, Loading } from '../../components/Layout.tsx';

export const RELATIONS = ['配偶', '父母', '子女', '其他亲属', '单位经办', '其他'] as const;

const LABELS: Record<string, string> = {
  principalName: '被代办人姓名',
  principalIdNo: '公民身份号码',
  principalPhone: '被代办人手机号',
  relation: '与被代办人的关系',
  scope: '代办范围',
  validUntil: '有效期至',
};
/** The API's error codes that belong to one field. */
const CODE_FIELDS: Record<string, string> = { ID_NO_INVALID: 'principalIdNo' };

type Values = { principalName: string; principalIdNo: string; principalPhone: string; relation: string; scope: string; validUntil: string };
const EMPTY: Values = { principalName: '', principalIdNo: '', principalPhone: '', relation: '', scope: '', validUntil: '' };

function problemsOf(v: Values, today: string): FieldProblem[] {
  const p: FieldProblem[] = [];
  if (!v.principalName.trim()) p.push({ field: 'principalName', message: '请输入被代办人姓名。' });
  const idp = idProblemText(citizenIdProblem(v.principalIdNo, today));
  if (idp) p.push({ field: 'principalIdNo', message: v.principalIdNo.trim() ? idp : '请输入被代办人的公民身份号码。' });
  if (v.principalPhone.trim() && !isMobile(v.principalPhone)) p.push({ field: 'principalPhone', message: '手机号码应为11位，以13–19开头。' });
  if (!v.relation) p.push({ field: 'relation', message: '请选择您与被代办人的关系。' });
  if (!v.scope.trim()) p.push({ field: 'scope', message: '请填写代办范围，例如“生育津贴申领”或“医保业务”。' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.validUntil)) p.push({ field: 'validUntil', message: '请选择授权有效期的截止日期。' });
  else if (v.validUntil < today) p.push({ field: 'validUntil', message: `授权截止日期不能早于今天（${today}）。` });
  return p;
}

export function AuthorisationsPanel() {
  const list = useLoad(() => api.authorisations(), []);
  const [items, setItems] = useState<Authorisation[] | null>(null);
  const [v, setV] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<FieldProblem[]>([]);
  const [formError, setFormError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const [codeSent, setCodeSent] = useState<Set<number>>(new Set());
  const formErrRef = useRef<HTMLDivElement>(null);
  const today = todayChina();

  useEffect(() => {
    if (list.status === 'ok') setItems(list.data.items);
  }, [list]);
  useEffect(() => {
    if (formError) formErrRef.current?.focus();
  }, [formError]);

  const set = (k: keyof Values, val: string) => {
    setV((o) => ({ ...o, [k]: val }));
    setErrors((es) => (es.some((e) => e.field === k) ? es.filter((e) => e.field !== k) : es));
  };
  const err = (f: string) => errors.find((e) => e.field === f)?.message;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError('');
    setDone('');
    const p = problemsOf(v, today);
    setErrors(p);
    if (p.length) return;
    setBusy(true);
    try {
      const name = v.principalName.trim();
      const created = await api.createAuthorisation({
        principalName: name,
        principalIdNo: v.principalIdNo.trim().toUpperCase(),
        principalPhone: v.principalPhone.trim() || undefined,
        relation: v.relation,
        scope: v.scope.trim(),
        validUntil: v.validUntil,
      });
      setV(EMPTY);
      // The principal confirms: a code goes to the registry's number for the principal at once.
      const sent = await api.authorisationCode(created.id).then(
        () => true,
        () => false,
      );
      if (sent) setCodeSent((s) => new Set(s).add(created.id));
      setDone(
        `已登记 ${name} 的代办授权（有效期至 ${v.validUntil}）。${sent ? '确认验证码已发送到被代办人在医保部门登记的手机号码，' : ''}请被代办人把验证码告诉您并在下方输入，确认后即可为其申请。`,
      );
      const fresh = await api.authorisations().catch(() => null);
      if (fresh) setItems(fresh.items);
    } catch (ex) {
      const a = asApiError(ex);
      // The API's own words at the top (role=alert); the field it concerns is marked too. Input is kept.
      setFormError(a.message);
      const fp = fieldProblems(a).filter((x) => LABELS[x.field]);
      if (fp.length) setErrors(fp);
      else if (CODE_FIELDS[a.code]) setErrors([{ field: CODE_FIELDS[a.code]!, message: a.message }]);
      else if (a.code === 'AUTHORISATION_INVALID' && v.validUntil < today) setErrors([{ field: 'validUntil', message: a.message }]);
    } finally {
      setBusy(false);
    }
  };

  const input = (k: keyof Values, extra: Record<string, unknown> = {}, help?: string) => (
    <input
      id={`au-${k}`}
      name={k}
      value={v[k]}
      onChange={(e) => set(k, e.target.value)}
      aria-invalid={err(k) ? true : undefined}
      aria-describedby={describedBy(`au-${k}`, help, err(k))}
      {...extra}
    />
  );

  return (
    <section className="authorisations" id="authorisations" aria-labelledby="au-h">
      <h2 id="au-h">代办授权</h2>
      <p className="muted">
        受家人或他人委托代为办理时，请先登记代办授权（被代办人的身份信息、关系、范围和有效期）。在线申请时可选择“为谁申请”，申请表中的申请人即为被代办人。
      </p>
      {list.status === 'loading' && items === null && <Loading />}
      {list.status === 'error' && items === null && <ErrorBox message={list.error.message} />}
      {items &&
        (items.length === 0 ? (
          <p className="muted">您还没有登记代办授权。</p>
        ) : (
          <ul className="case-list auth-list">
            {items.map((a) => (
              <li key={a.id} className={a.active ? undefined : 'expired'}>
                <p className="auth-head">
                  <span className="case-title-plain">{a.principalName}</span>
                  <span className={a.active && a.confirmed ? 'tag ok' : 'tag warn'}>
                    {!a.active ? '已过期' : a.confirmed ? '有效' : '待被代办人确认'}
                  </span>
                </p>
                <dl className="case-meta">
                  <div>
                    <dt>公民身份号码</dt>
                    <dd className="mono">{a.principalIdNoMasked}</dd>
                  </div>
                  <div>
                    <dt>关系</dt>
                    <dd>{a.relation}</dd>
                  </div>
                  <div>
                    <dt>代办范围</dt>
                    <dd>{a.scope}</dd>
                  </div>
                  <div>
                    <dt>有效期至</dt>
                    <dd>{a.validUntil}</dd>
                  </div>
                </dl>
                {a.active && !a.confirmed && (
                  <ConfirmAuthorisation
                    auth={a}
                    sent={codeSent.has(a.id)}
                    onSent={() => setCodeSent((s) => new Set(s).add(a.id))}
                    onConfirmed={async () => {
                      const fresh = await api.authorisations().catch(() => null);
                      if (fresh) setItems(fresh.items);
                    }}
                  />
                )}
              </li>
            ))}
          </ul>
        ))}

      <form className="panel form" onSubmit={submit} noValidate aria-labelledby="au-form-h">
        <h3 id="au-form-h">登记新的代办授权</h3>
        {done && <Notice kind="ok">{done}</Notice>}
        <ErrorSummary title={`请修改以下 ${errors.length} 处：`} problems={formError ? [] : errors} prefix="au" labels={LABELS} />
        {formError && (
          <div className="error-box" role="alert" tabIndex={-1} ref={formErrRef}>
            <p>{formError}</p>
          </div>
        )}
        <Field id="au-principalName" label="被代办人姓名" required error={err('principalName')}>
          {input('principalName', { maxLength: 50, autoComplete: 'off', required: true })}
        </Field>
        <Field id="au-principalIdNo" label="公民身份号码" required error={err('principalIdNo')} help="被代办人的18位身份证号，最后一位可为X。">
          {input(
            'principalIdNo',
            {
              maxLength: 18,
              autoComplete: 'off',
              className: 'mono',
              spellCheck: false,
              required: true,
              onBlur: () => {
                if (!v.principalIdNo) return;
                const p = idProblemText(citizenIdProblem(v.principalIdNo, today));
                setErrors((es) => [...es.filter((x) => x.field !== 'principalIdNo'), ...(p ? [{ field: 'principalIdNo', message: p }] : [])]);
              },
            },
            'help',
          )}
        </Field>
        <Field id="au-principalPhone" label="被代办人手机号" error={err('principalPhone')} help="填写后，办件通知也可发给被代办人。">
          {input('principalPhone', { type: 'tel', inputMode: 'numeric', maxLength: 11, autoComplete: 'off' }, 'help')}
        </Field>
        <Field id="au-relation" label="与被代办人的关系" required error={err('relation')}>
          <select
            id="au-relation"
            name="relation"
            value={v.relation}
            onChange={(e) => set('relation', e.target.value)}
            required
            aria-invalid={err('relation') ? true : undefined}
            aria-describedby={describedBy('au-relation', undefined, err('relation'))}
          >
            <option value="">请选择</option>
            {RELATIONS.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        <Field id="au-scope" label="代办范围" required error={err('scope')} help="授权书写明的事项，例如“生育津贴申领”“医保业务”。">
          {input('scope', { maxLength: 200, required: true }, 'help')}
        </Field>
        <Field id="au-validUntil" label="有效期至" required error={err('validUntil')} help="授权书写明的截止日期，不能早于今天。">
          {input('validUntil', { type: 'date', min: today, required: true, className: 'short' }, 'help')}
        </Field>
        <button type="submit" className="btn" disabled={busy}>
          {busy ? '正在登记…' : '登记代办授权'}
        </button>
      </form>
    </section>
  );
}

/** The principal's confirmation of one authorisation: the code texted to the principal, entered here by the agent. */
function ConfirmAuthorisation({
  auth,
  sent,
  onSent,
  onConfirmed,
}: {
  auth: Authorisation;
  sent: boolean;
  onSent: () => void;
  onConfirmed: () => Promise<void>;
}) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const id = `au-code-${auth.id}`;
  const send = async () => {
    setError('');
    setBusy(true);
    try {
      await api.authorisationCode(auth.id);
      onSent();
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    if (!/^\d{6}$/.test(code.trim())) {
      setError('请输入被代办人收到的6位数字验证码。');
      return;
    }
    setBusy(true);
    try {
      await api.confirmAuthorisation(auth.id, code.trim());
      await onConfirmed();
    } catch (ex) {
      setError(asApiError(ex).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form inline-confirm" onSubmit={confirm} noValidate aria-label={`确认 ${auth.principalName} 的代办授权`}>
      <p className="muted small">
        须经被代办人确认：验证码发送到被代办人在医保部门登记的手机号码。被代办人号码已变更或收不到短信的，请被代办人本人携带居民身份证到经办窗口办理。
      </p>
      {error && <Notice kind="error">{error}</Notice>}
      <Field id={id} label="被代办人收到的验证码" required>
        <input
          id={id}
          inputMode="numeric"
          autoComplete="off"
          maxLength={6}
          className="short mono"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </Field>
      <div className="actions-row">
        <button type="submit" className="btn small" disabled={busy}>
          确认授权
        </button>
        <button type="button" className="btn small secondary" onClick={send} disabled={busy}>
          {sent ? '重新发送验证码' : '发送验证码'}
        </button>
      </div>
    </form>
  );
}
