/** The unit page's 缴费基数申报 form and its line parsing and checks. */
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { asApiError, send } from '../../lib/api.ts';
import { Field, Notice, idProblemText } from '../../components/Form.tsx';
import { citizenIdProblem } from '../../../../common/ids.ts';

// ---------------------------------------------------------------- 缴费基数申报

type BaseRow = { key: number; idNo: string; base: string };
type RowProblem = { line: number; column: string; field: 'idNo' | 'base'; message: string };
type BaseDeclared = { declared: number; avgMonthlyWage: number };

const BASE_RE = /^\d+(\.\d{1,2})?$/;
const yuan = (n: number) => `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
/** The base as typed, without thousands separators, currency signs or 元. */
const cleanBase = (s: string) => s.replace(/[,，\s¥￥元"']/g, '');

/** Pasted text → rows: one employee a line, “身份证号,基数” (comma, 中文逗号, tab, semicolon or spaces); a header line is skipped. */
export function parseBaseLines(text: string): { idNo: string; base: string }[] {
  const out: { idNo: string; base: string }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    // The user's own pasted text, not a server message: a header line (身份证号, 基数) is skipped.
    // eslint-disable-next-line no-restricted-syntax
    if (!line || /身份|基数/.test(line)) continue;
    const m = /^["']?([0-9Xx]+)["']?\s*[,，\t;；\s]\s*(.*)$/.exec(line);
    if (m) out.push({ idNo: m[1]!.toUpperCase(), base: cleanBase(m[2]!) });
    else out.push({ idNo: line.replace(/["'\s]/g, '').toUpperCase(), base: '' });
  }
  return out;
}

function rowProblems(rows: BaseRow[]): RowProblem[] {
  const p: RowProblem[] = [];
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const line = i + 1;
    const idNo = r.idNo.trim().toUpperCase();
    const idText = idProblemText(citizenIdProblem(idNo));
    if (!idNo) p.push({ line, column: '公民身份号码', field: 'idNo', message: '请输入公民身份号码。' });
    else if (idText) p.push({ line, column: '公民身份号码', field: 'idNo', message: idText });
    else if (seen.has(idNo)) p.push({ line, column: '公民身份号码', field: 'idNo', message: `与第 ${seen.get(idNo)} 行重复。` });
    if (idNo && !seen.has(idNo)) seen.set(idNo, line);
    const b = cleanBase(r.base);
    if (!b) p.push({ line, column: '缴费基数', field: 'base', message: '请输入月缴费基数。' });
    else if (!BASE_RE.test(b) || Number(b) <= 0 || Number(b) > 1_000_000)
      p.push({ line, column: '缴费基数', field: 'base', message: '月缴费基数应为大于 0、不超过 1,000,000、最多两位小数的金额。' });
  });
  return p;
}

/** The error body's details as per-row problems (line = row number from 1), or [] if they are not in that shape. */
function serverRowProblems(details: unknown): RowProblem[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d: unknown) => {
    if (!d || typeof d !== 'object') return [];
    const { line, column, field, message } = d as Record<string, unknown>;
    return typeof line === 'number' && typeof message === 'string'
      ? [{ line, column: typeof column === 'string' ? column : '', field: field === 'base' ? ('base' as const) : ('idNo' as const), message }]
      : [];
  });
}

export function BaseDeclaration({ activeCount }: { activeCount: number }) {
  const id = useId();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear + 1);
  const nextKey = useRef(1);
  const newRow = (idNo = '', base = ''): BaseRow => ({ key: nextKey.current++, idNo, base });
  const [rows, setRows] = useState<BaseRow[]>(() => [{ key: 0, idNo: '', base: '' }]);
  const [paste, setPaste] = useState('');
  const [pasteMsg, setPasteMsg] = useState('');
  const [problems, setProblems] = useState<RowProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const focusRow = (index: number) =>
    requestAnimationFrame(() => tableRef.current?.querySelectorAll<HTMLInputElement>('input[data-col="idNo"]')[index]?.focus());

  const byLine = useMemo(() => {
    const m = new Map<number, RowProblem[]>();
    for (const p of problems) m.set(p.line, [...(m.get(p.line) ?? []), p]);
    return m;
  }, [problems]);
  const badRows = byLine.size;

  const edit = (index: number, k: 'idNo' | 'base', value: string) => {
    setRows((rs) => rs.map((r, i) => (i === index ? { ...r, [k]: value } : r)));
    // The row's old messages no longer describe what is typed; drop them (other rows keep theirs).
    setProblems((ps) => ps.filter((p) => p.line !== index + 1 || p.field !== k));
  };
  const addRow = () => {
    setRows((rs) => [...rs, newRow()]);
    focusRow(rows.length);
  };
  const removeRow = (index: number) => {
    setRows((rs) => (rs.length === 1 ? [newRow()] : rs.filter((_, i) => i !== index)));
    // Line numbers after the removed row shift up by one.
    setProblems((ps) => ps.filter((p) => p.line !== index + 1).map((p) => (p.line > index + 1 ? { ...p, line: p.line - 1 } : p)));
    focusRow(Math.max(0, Math.min(index, rows.length - 2)));
  };
  const fill = () => {
    const parsed = parseBaseLines(paste);
    if (!parsed.length) {
      setPasteMsg('没有识别到数据行。请每行填写：身份证号,基数。');
      return;
    }
    setRows(parsed.map((r) => newRow(r.idNo, r.base)));
    setProblems([]);
    setMsg(null);
    setPaste('');
    setPasteMsg(`已填入 ${parsed.length} 行，请核对后提交。`);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMsg(null);
    const p = rowProblems(rows);
    setProblems(p);
    if (p.length) {
      setMsg({ kind: 'error', text: `有 ${new Set(p.map((x) => x.line)).size} 行需要修改，见表格中标出的行。尚未提交。` });
      return;
    }
    setBusy(true);
    try {
      const r = await send<BaseDeclared>('POST', '/api/unit/base-declaration', {
        year,
        rows: rows.map((row) => ({ idNo: row.idNo.trim().toUpperCase(), base: Number(cleanBase(row.base)) })),
      });
      setMsg({ kind: 'ok', text: `已申报 ${r.declared} 人，单位职工月平均工资 ${yuan(r.avgMonthlyWage)}` });
    } catch (ex) {
      const err = asApiError(ex);
      const sp = serverRowProblems(err.details);
      setProblems(sp);
      setMsg({ kind: 'error', text: sp.length ? `${err.message} 请按表格中标出的行修改后重新提交。` : err.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="base-h" className="base-decl no-print">
      <h2 id="base-h">缴费基数申报</h2>
      <form className="panel" onSubmit={submit} aria-labelledby="base-h" noValidate>
        <p className="small">为本单位在职参保职工（共 {activeCount} 人）逐人申报年度月缴费基数。提交时检查全部行，有任何一处错误都不会保存。</p>
        <Field id={`${id}-year`} label="申报年度" required help="默认为下一年度，也可申报本年度。">
          <select
            id={`${id}-year`}
            value={year}
            aria-describedby={`${id}-year-help`}
            onChange={(e) => setYear(Number(e.target.value))}
            disabled={busy}
          >
            <option value={thisYear + 1}>{thisYear + 1} 年度</option>
            <option value={thisYear}>{thisYear} 年度</option>
          </select>
        </Field>
        <details className="base-paste">
          <summary>从表格或文本批量填入</summary>
          <Field id={`${id}-paste`} label="从剪贴板粘贴（每行：身份证号,基数）" help="可直接从 Excel 复制两列粘贴。填入后会替换下表中已有的行。">
            <textarea
              id={`${id}-paste`}
              rows={5}
              className="mono"
              value={paste}
              spellCheck={false}
              autoComplete="off"
              placeholder={'11010519491231002X,8000\n110105199001011234,6500.50'}
              aria-describedby={`${id}-paste-help`}
              onChange={(e) => setPaste(e.target.value)}
              disabled={busy}
            />
          </Field>
          <button type="button" className="btn secondary" onClick={fill} disabled={busy || !paste.trim()}>
            填入下表
          </button>
          {pasteMsg && (
            <p className="small" role="status">
              {pasteMsg}
            </p>
          )}
        </details>
        <div className="table-wrap">
          <table className="stack base-table">
            <caption>
              申报明细：{rows.length} 行{activeCount && rows.length !== activeCount ? `（本单位在职参保 ${activeCount} 人）` : ''}
              {badRows ? `，${badRows} 行有错误` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col" className="base-no">
                  行
                </th>
                <th scope="col">公民身份号码</th>
                <th scope="col">月缴费基数（元）</th>
                <th scope="col">
                  <span className="sr-only">操作</span>
                </th>
              </tr>
            </thead>
            <tbody ref={tableRef}>
              {rows.map((r, i) => {
                const line = i + 1;
                const rp = byLine.get(line) ?? [];
                const baseErr = rp.filter((p) => p.field === 'base');
                const idErr = rp.filter((p) => p.field !== 'base');
                const idId = `${id}-r${r.key}-id`;
                const baseId = `${id}-r${r.key}-base`;
                return (
                  <tr key={r.key} className={rp.length ? 'base-bad' : undefined}>
                    <th scope="row" className="base-no" data-label="行">
                      {line}
                    </th>
                    <td data-label="公民身份号码">
                      <label htmlFor={idId} className="sr-only">
                        第 {line} 行 公民身份号码
                      </label>
                      <input
                        id={idId}
                        data-col="idNo"
                        type="text"
                        className="mono base-id"
                        value={r.idNo}
                        maxLength={18}
                        autoComplete="off"
                        spellCheck={false}
                        aria-invalid={idErr.length ? true : undefined}
                        aria-describedby={idErr.length ? `${idId}-err` : undefined}
                        onChange={(e) => edit(i, 'idNo', e.target.value.toUpperCase().trim())}
                        disabled={busy}
                      />
                      {idErr.length > 0 && (
                        <p className="field-error" id={`${idId}-err`} role="alert">
                          第 {line} 行：{idErr.map((p) => p.message).join(' ')}
                        </p>
                      )}
                    </td>
                    <td data-label="月缴费基数（元）">
                      <label htmlFor={baseId} className="sr-only">
                        第 {line} 行 月缴费基数（元）
                      </label>
                      <input
                        id={baseId}
                        type="text"
                        inputMode="decimal"
                        className="base-amount"
                        value={r.base}
                        maxLength={14}
                        autoComplete="off"
                        aria-invalid={baseErr.length ? true : undefined}
                        aria-describedby={baseErr.length ? `${baseId}-err` : undefined}
                        onChange={(e) => edit(i, 'base', e.target.value)}
                        disabled={busy}
                      />
                      {baseErr.length > 0 && (
                        <p className="field-error" id={`${baseId}-err`} role="alert">
                          第 {line} 行：{baseErr.map((p) => p.message).join(' ')}
                        </p>
                      )}
                    </td>
                    <td className="base-act">
                      <button
                        type="button"
                        className="btn secondary small"
                        onClick={() => removeRow(i)}
                        disabled={busy}
                        aria-label={`删除第 ${line} 行`}
                      >
                        删除
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {problems.some((p) => p.line < 1 || p.line > rows.length) && (
          <ul className="field-error" role="alert">
            {problems
              .filter((p) => p.line < 1 || p.line > rows.length)
              .map((p, i) => (
                <li key={i}>
                  第 {p.line} 行{p.column ? `（${p.column}）` : ''}：{p.message}
                </li>
              ))}
          </ul>
        )}
        <p className="actions-row">
          <button type="button" className="btn secondary" onClick={addRow} disabled={busy}>
            添加一行
          </button>
          <button type="submit" className="btn" disabled={busy}>
            {busy ? '正在提交…' : `提交 ${year} 年度申报`}
          </button>
        </p>
        {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      </form>
    </section>
  );
}
