/** The staff case page's bill form: the lines of a bill with their categories, amounts and ratios. */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { asApiError, fieldProblems, send, type CaseDetail } from '../../lib/api.ts';
import { fmtYuan } from '../cases/rules.tsx';

type BillCategory = 'covered' | 'partly' | 'excluded';
const BILL_CATEGORIES: { value: BillCategory; label: string }[] = [
  { value: 'covered', label: '全额纳入' },
  { value: 'partly', label: '部分纳入' },
  { value: 'excluded', label: '不予支付' },
];
interface BillRow {
  key: number;
  name: string;
  amount: string;
  category: BillCategory;
  ratio: string;
}
interface BillLine {
  name: string;
  amount: number;
  category: BillCategory;
  selfPayRatio?: number;
}
type RowErrors = Partial<Record<'name' | 'amount' | 'ratio', string>>;

const MONEY_RE = /^\d+(\.\d{1,2})?$/;
const RATIO_RE = /^(0(\.\d+)?|1(\.0+)?|\.\d+)$/;
/** "1,234.5" / "１２３" → 1234.5; null when not a money amount. */
function parseMoney(s: string): number | null {
  const t = s
    .normalize('NFKC')
    .replace(/[,，\s]/g, '')
    .replace(/^[¥￥]/, '');
  return MONEY_RE.test(t) ? Number(t) : null;
}
function parseRatio(s: string): number | null {
  const t = s.normalize('NFKC').trim();
  return RATIO_RE.test(t) ? Number(t) : null;
}
function checkRow(r: BillRow): RowErrors {
  const e: RowErrors = {};
  if (!r.name.trim()) e.name = '请填写项目名称。';
  else if (r.name.trim().length > 100) e.name = '项目名称不超过 100 字。';
  const a = parseMoney(r.amount);
  if (!r.amount.trim()) e.amount = '请填写金额。';
  else if (a === null) e.amount = '金额须为数字，最多两位小数。';
  else if (a <= 0) e.amount = '金额须大于 0。';
  else if (a > 10_000_000) e.amount = '金额不超过 10,000,000 元。';
  if (r.category === 'partly' && r.ratio.trim() && parseRatio(r.ratio) === null) e.ratio = '先行自付比例须为 0 到 1 之间的小数，如 0.2。';
  return e;
}

/** 录入费用明细: the reviewer types in the 费用清单 line by line; the server then computes 手工报销. */
export function BillForm({
  caseId,
  saved: savedLines,
  onSaved,
}: {
  caseId: number;
  saved: readonly BillLine[] | null | undefined;
  onSaved: () => Promise<unknown>;
}) {
  const id = useId();
  const next = useRef(1);
  const blank = (): BillRow => ({ key: next.current++, name: '', amount: '', category: 'covered', ratio: '' });
  // Lines saved earlier come back from the API, so reopening the case shows (and edits) them.
  const [rows, setRows] = useState<BillRow[]>(() =>
    savedLines?.length
      ? savedLines.map((l) => ({
          key: next.current++,
          name: l.name,
          amount: l.amount.toFixed(2),
          category: l.category,
          ratio: l.selfPayRatio === undefined ? '' : String(l.selfPayRatio),
        }))
      : [blank()],
  );
  const [errors, setErrors] = useState<Map<number, RowErrors>>(new Map());
  const [problem, setProblem] = useState<string[]>([]);
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  const focusKey = useRef<number | null>(null);

  useEffect(() => {
    const k = focusKey.current;
    if (k === null) return;
    focusKey.current = null;
    document.getElementById(`${id}-name-${k}`)?.focus();
  }, [rows, id]);

  const update = (key: number, patch: Partial<BillRow>) => {
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
    setSaved('');
    setErrors((m) => {
      if (!m.has(key)) return m;
      const n = new Map(m);
      n.delete(key);
      return n;
    });
  };
  const add = () => {
    const r = blank();
    focusKey.current = r.key;
    setRows([...rows, r]);
    setSaved('');
  };
  const remove = (i: number) => {
    const rest = rows.filter((_, j) => j !== i);
    const nextRows = rest.length ? rest : [blank()];
    // Focus stays in the list: the row before the removed one (or the new empty row).
    focusKey.current = (nextRows[Math.max(0, i - 1)] ?? nextRows[0])?.key ?? null;
    setRows(nextRows);
    setSaved('');
  };

  const sums = { covered: 0, partly: 0, excluded: 0, all: 0 };
  let unparsed = 0;
  for (const r of rows) {
    const a = parseMoney(r.amount);
    if (a === null) {
      if (r.amount.trim()) unparsed++;
      continue;
    }
    sums[r.category] += a;
    sums.all += a;
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved('');
    const errs = new Map<number, RowErrors>();
    rows.forEach((r) => {
      const x = checkRow(r);
      if (Object.keys(x).length) errs.set(r.key, x);
    });
    setErrors(errs);
    if (errs.size) {
      setProblem([`有 ${errs.size} 项填写有误，请按提示修改。`]);
      const first = rows.find((r) => errs.has(r.key));
      if (first) {
        const f = errs.get(first.key) ?? {};
        document.getElementById(`${id}-${f.name ? 'name' : f.amount ? 'amount' : 'ratio'}-${first.key}`)?.focus();
      }
      return;
    }
    const lines: BillLine[] = rows.map((r) => {
      const l: BillLine = { name: r.name.trim(), amount: parseMoney(r.amount) ?? 0, category: r.category };
      if (r.category === 'partly' && r.ratio.trim()) l.selfPayRatio = parseRatio(r.ratio) ?? undefined;
      return l;
    });
    setProblem([]);
    setBusy(true);
    try {
      await send<CaseDetail>('PUT', `/api/cases/${caseId}/bill`, { lines });
      await onSaved();
      setSaved(`已保存 ${lines.length} 项费用明细，合计 ${fmtYuan(sums.all)}；“待遇核算”已按明细重新计算。`);
    } catch (err) {
      const x = asApiError(err);
      const fp = fieldProblems(err).map((f) => {
        const m = /lines\.(\d+)/.exec(f.field);
        return m ? `第 ${Number(m[1]) + 1} 项：${f.message}` : f.message;
      });
      setProblem([x.message, ...fp]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel no-print" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>录入费用明细</h2>
      <p className="muted small">
        按发票和费用清单逐项录入。类别：全额纳入按规定比例报销；部分纳入先由个人按“先行自付比例”自付（不填则按经办机构规定比例）；不予支付不计入报销。提交后以本次录入的全部明细替换此前录入的明细。
      </p>
      <form className="bill-form" onSubmit={submit} noValidate aria-describedby={problem.length ? `${id}-err` : undefined}>
        <ol className="bill-rows">
          {rows.map((r, i) => {
            const er = errors.get(r.key) ?? {};
            const n = i + 1;
            const f = (k: string) => `${id}-${k}-${r.key}`;
            return (
              <li key={r.key} className="bill-row">
                <fieldset>
                  <legend className="bill-legend">第 {n} 项</legend>
                  <div className="bill-field bill-name">
                    <label htmlFor={f('name')}>项目名称</label>
                    <input
                      id={f('name')}
                      value={r.name}
                      maxLength={100}
                      autoComplete="off"
                      aria-invalid={er.name ? true : undefined}
                      aria-describedby={er.name ? f('name-e') : undefined}
                      onChange={(e) => update(r.key, { name: e.target.value })}
                    />
                    {er.name && (
                      <p className="field-error" id={f('name-e')}>
                        {er.name}
                      </p>
                    )}
                  </div>
                  <div className="bill-field bill-amount">
                    <label htmlFor={f('amount')}>金额（元）</label>
                    <input
                      id={f('amount')}
                      value={r.amount}
                      inputMode="decimal"
                      autoComplete="off"
                      placeholder="0.00"
                      aria-invalid={er.amount ? true : undefined}
                      aria-describedby={er.amount ? f('amount-e') : undefined}
                      onChange={(e) => update(r.key, { amount: e.target.value })}
                    />
                    {er.amount && (
                      <p className="field-error" id={f('amount-e')}>
                        {er.amount}
                      </p>
                    )}
                  </div>
                  <div className="bill-field bill-cat">
                    <label htmlFor={f('cat')}>类别</label>
                    <select id={f('cat')} value={r.category} onChange={(e) => update(r.key, { category: e.target.value as BillCategory })}>
                      {BILL_CATEGORIES.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                  </div>
                  {r.category === 'partly' && (
                    <div className="bill-field bill-ratio">
                      <label htmlFor={f('ratio')}>
                        先行自付比例<span className="opt-tag">（0–1，选填）</span>
                      </label>
                      <input
                        id={f('ratio')}
                        value={r.ratio}
                        inputMode="decimal"
                        autoComplete="off"
                        placeholder="如 0.2"
                        aria-invalid={er.ratio ? true : undefined}
                        aria-describedby={er.ratio ? f('ratio-e') : undefined}
                        onChange={(e) => update(r.key, { ratio: e.target.value })}
                      />
                      {er.ratio && (
                        <p className="field-error" id={f('ratio-e')}>
                          {er.ratio}
                        </p>
                      )}
                    </div>
                  )}
                  <div className="bill-field bill-remove">
                    <button type="button" className="btn small secondary" onClick={() => remove(i)} aria-label={`删除第 ${n} 项`}>
                      删除
                    </button>
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <button type="button" className="btn secondary" onClick={add} disabled={rows.length >= 500}>
          + 添加一项
        </button>
        <dl className="bill-total">
          <div>
            <dt>全额纳入</dt>
            <dd>{fmtYuan(sums.covered)}</dd>
          </div>
          <div>
            <dt>部分纳入</dt>
            <dd>{fmtYuan(sums.partly)}</dd>
          </div>
          <div>
            <dt>不予支付</dt>
            <dd>{fmtYuan(sums.excluded)}</dd>
          </div>
          <div className="bill-sum">
            <dt>
              合计（{rows.length} 项{unparsed ? `，${unparsed} 项金额无法识别未计入` : ''}）
            </dt>
            <dd>{fmtYuan(sums.all)}</dd>
          </div>
        </dl>
        {problem.length > 0 && (
          <div className="field-error bill-error" role="alert" id={`${id}-err`}>
            {problem.length === 1 ? (
              problem[0]
            ) : (
              <>
                {problem[0]}
                <ul>
                  {problem.slice(1).map((t, i) => (
                    <li key={i}>{t}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
        <div role="status" className="bill-status">
          {saved && <p className="ok-text">{saved}</p>}
        </div>
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? '正在保存…' : '保存费用明细并核算'}
        </button>
      </form>
    </section>
  );
}
