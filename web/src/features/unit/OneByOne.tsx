/** The unit page's one-by-one 增员/减员 form. */
import { useState, type FormEvent } from 'react';
import { api, asApiError, type FieldProblem } from '../../lib/api.ts';
import { ErrorSummary, Field, Notice, describedBy, idProblemText } from '../../components/Form.tsx';
import { citizenIdProblem } from '../../../../common/ids.ts';

// ---------------------------------------------------------------- 逐个增减员

type One = { action: 'add' | 'remove'; idNo: string; name: string; date: string; base: string };
const EMPTY_ONE: One = { action: 'add', idNo: '', name: '', date: '', base: '' };
const ONE_LABELS: Record<string, string> = { action: '操作', idNo: '公民身份号码', name: '姓名', date: '日期', base: '缴费基数' };

export function OneByOne({ onDone }: { onDone: () => Promise<unknown> }) {
  const [v, setV] = useState<One>(EMPTY_ONE);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const set = <K extends keyof One>(k: K, val: One[K]) => setV((o) => ({ ...o, [k]: val }));
  const err = (f: string) => problems.find((p) => p.field === f)?.message;
  const add = v.action === 'add';

  const check = (): FieldProblem[] => {
    const p: FieldProblem[] = [];
    const idText = idProblemText(citizenIdProblem(v.idNo));
    if (!v.idNo.trim()) p.push({ field: 'idNo', message: '请输入公民身份号码。' });
    else if (idText) p.push({ field: 'idNo', message: idText });
    if (!v.name.trim()) p.push({ field: 'name', message: '请输入姓名。' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v.date)) p.push({ field: 'date', message: add ? '请选择参保开始日期。' : '请选择停止参保日期。' });
    if (add) {
      const b = v.base.replace(/,/g, '');
      if (!b) p.push({ field: 'base', message: '增员须填写缴费基数。' });
      else if (!/^\d+(\.\d{1,2})?$/.test(b) || Number(b) <= 0) p.push({ field: 'base', message: '缴费基数应为大于 0 的金额，最多两位小数。' });
    }
    return p;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMsg(null);
    const p = check();
    setProblems(p);
    if (p.length) return;
    setBusy(true);
    try {
      await api.unitEmployee({
        action: v.action,
        idNo: v.idNo.trim().toUpperCase(),
        name: v.name.trim(),
        date: v.date,
        base: add ? Number(v.base.replace(/,/g, '')) : undefined,
      });
      setMsg({ kind: 'ok', text: `已为 ${v.name.trim()} 办理${add ? '增员' : '减员'}（${add ? '参保开始' : '停止参保'}日期 ${v.date}）。` });
      setV({ ...EMPTY_ONE, action: v.action });
      await onDone();
    } catch (ex) {
      setMsg({ kind: 'error', text: asApiError(ex).message });
    } finally {
      setBusy(false);
    }
  };

  const input = (k: 'idNo' | 'name' | 'base', extra: Record<string, unknown> = {}) => (
    <input
      id={`u-${k}`}
      name={k}
      type="text"
      value={v[k]}
      aria-invalid={err(k) ? true : undefined}
      aria-describedby={describedBy(`u-${k}`, k === 'base' || k === 'idNo', err(k))}
      onChange={(e) => set(k, k === 'idNo' ? e.target.value.toUpperCase().trim() : e.target.value)}
      {...extra}
    />
  );

  return (
    <section aria-labelledby="one-h" className="one-by-one no-print">
      <h2 id="one-h">逐个增减员</h2>
      <form className="panel" onSubmit={submit} aria-labelledby="one-h" noValidate>
        <ErrorSummary title={`请修改以下 ${problems.length} 处：`} problems={problems} prefix="u" labels={ONE_LABELS} />
        {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
        <fieldset className="field choice" id="u-action">
          <legend>
            操作
            <span className="req" aria-hidden="true">
              *
            </span>
          </legend>
          {(
            [
              ['add', '增员'],
              ['remove', '减员'],
            ] as const
          ).map(([val, label]) => (
            <label key={val} className="opt">
              <input type="radio" name="action" value={val} checked={v.action === val} onChange={() => set('action', val)} />
              {label}
            </label>
          ))}
        </fieldset>
        <div className="one-grid">
          <Field id="u-idNo" label="公民身份号码" required help="18位，最后一位可为X。" error={err('idNo')}>
            {input('idNo', { maxLength: 18, autoComplete: 'off', spellCheck: false, className: 'mono' })}
          </Field>
          <Field id="u-name" label="姓名" required error={err('name')}>
            {input('name', { maxLength: 50, autoComplete: 'off' })}
          </Field>
          <Field id="u-date" label="日期" required help={add ? '参保开始日期。' : '停止参保日期。'} error={err('date')}>
            <input
              id="u-date"
              name="date"
              type="date"
              value={v.date}
              aria-invalid={err('date') ? true : undefined}
              aria-describedby={describedBy('u-date', true, err('date'))}
              onChange={(e) => set('date', e.target.value)}
            />
          </Field>
          {add && (
            <Field id="u-base" label="缴费基数" required help="单位：元。" error={err('base')}>
              <span className="with-unit">
                {input('base', { inputMode: 'decimal', maxLength: 12 })}
                <span aria-hidden="true">元</span>
              </span>
            </Field>
          )}
        </div>
        <button type="submit" className="btn" disabled={busy}>
          {busy ? '正在办理…' : add ? '办理增员' : '办理减员'}
        </button>
      </form>
    </section>
  );
}
