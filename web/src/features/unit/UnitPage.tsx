/**
 * 单位网厅 (/unit): a unit clerk's 增减员 — the unit and its 参保登记, 花名册导入 (upload → the whole
 * file checked → a per-row report → the clerk chooses to import all or only the correct rows),
 * one-by-one 增员/减员, and the unit's employees. Nothing is imported until the clerk clicks.
 */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, asApiError, send, uploadRoster, type AgencySummary, type Employees, type FieldProblem, type RosterReportOut } from '../../lib/api.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { Crumbs, ErrorBox, Pending } from '../../components/Layout.tsx';
import { ErrorSummary, Field, Notice, describedBy, idProblemText } from '../../components/Form.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { citizenIdProblem } from '../../../../common/ids.ts';
import { ROSTER_COLUMNS } from '../../../../common/roster.ts';

const MAX_ROSTER_BYTES = 30 * 1024 * 1024;
/** Error rows drawn in the page; the downloadable error list always has all of them. */
const MAX_SHOWN_ERRORS = 1000;
/** Employees drawn before 「显示全部」. */
const FIRST_EMPLOYEES = 200;

const STATUS_LABELS: Record<string, string> = { active: '在职参保', suspended: '已减员' };

/** A CSV text Excel opens as UTF-8: BOM first, CRLF lines, every cell quoted. */
export function csvText(rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number) => `"${String(v).replace(/"/g, '""')}"`;
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
const csvHref = (text: string) => `data:text/csv;charset=utf-8,${encodeURIComponent(text)}`;

/** The template: the header row only, each column's help in brackets (the server accepts “列名（…）”). */
const TEMPLATE_HREF = csvHref(csvText([ROSTER_COLUMNS.map((c) => (c.help ? `${c.label}（${c.help}）` : c.label))]));

export function UnitPage() {
  return <RequireLogin staff={false}>{(me) => (me.kind === 'unit' ? <Unit /> : <NotUnit />)}</RequireLogin>;
}

function NotUnit() {
  return (
    <div className="error-box" role="alert">
      <p>单位网厅仅供单位经办人账号使用。个人办件请前往我的办件。</p>
      <p>
        <Link href="/me">前往我的办件</Link>
      </p>
    </div>
  );
}

function Unit() {
  const { data, error, loading: refreshing, reload: load } = useLoad(() => api.unitEmployees(), []);
  const [agencies, setAgencies] = useState<AgencySummary[]>([]);
  useEffect(() => {
    document.title = '单位网厅 · 医保经办服务平台';
    api.agencies().then(setAgencies, () => setAgencies([]));
  }, []);

  if (!data) return <Pending error={error} retry={load} />;
  const { unit } = data;
  const registered = unit.agencyCode !== null;
  const agencyName = agencies.find((a) => a.code === unit.agencyCode)?.name ?? unit.agencyCode;
  return (
    <section className="unit">
      <Crumbs items={[{ href: '/', label: '首页' }, { label: '单位网厅' }]} />
      <h1>单位网厅</h1>
      <div className="panel unit-head">
        <h2 className="sr-only">本单位</h2>
        <dl className="kv">
          <dt>单位名称</dt>
          <dd>{unit.name}</dd>
          <dt>统一社会信用代码</dt>
          <dd className="mono">{unit.uscc}</dd>
          <dt>参保登记机构</dt>
          <dd>{registered ? agencyName : <span className="muted">尚未登记</span>}</dd>
        </dl>
        {!registered && (
          <div className="warn-box inner">
            <p>
              <strong>本单位尚未办理单位参保登记。</strong>
              请先到参保地医保经办机构办理单位参保登记，登记后才能在这里为职工增员、减员。
            </p>
            <p>
              <Link href="/">查找经办机构和办事指南</Link>
            </p>
          </div>
        )}
        <p className="small no-print">
          本账号个人的办件见<Link href="/me">我的办件</Link>。
        </p>
      </div>
      {error && <ErrorBox message={error.message} retry={() => void load()} />}
      {registered && (
        <>
          <RosterImport onApplied={load} />
          <OneByOne onDone={load} />
          <BaseDeclaration activeCount={data.items.filter((e) => e.status === 'active').length} />
        </>
      )}
      <EmployeeList data={data} refreshing={refreshing} />
    </section>
  );
}

function EmployeeList({ data, refreshing }: { data: Employees; refreshing: boolean }) {
  const [all, setAll] = useState(false);
  const items = data.items;
  const active = items.filter((e) => e.status === 'active').length;
  const shown = all ? items : items.slice(0, FIRST_EMPLOYEES);
  return (
    <section aria-labelledby="emp-h" className="employees">
      <h2 id="emp-h">在职参保职工</h2>
      {items.length === 0 ? (
        <p className="empty">本单位还没有参保职工。可通过花名册导入或逐个增员添加。</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="stack">
              <caption>
                共 {items.length} 人：在职参保 {active} 人，已减员 {items.length - active} 人{refreshing ? ' · 正在刷新…' : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">姓名</th>
                  <th scope="col">公民身份号码</th>
                  <th scope="col">参保开始日期</th>
                  <th scope="col">状态</th>
                  <th scope="col">减员日期</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((e, i) => (
                  <tr key={`${e.idNoMasked}-${e.start}-${i}`}>
                    <td data-label="姓名">{e.name}</td>
                    <td data-label="公民身份号码" className="mono nowrap">
                      {e.idNoMasked}
                    </td>
                    <td data-label="参保开始日期" className="nowrap">
                      {e.start}
                    </td>
                    <td data-label="状态">
                      <span className={`status emp-${e.status}`}>{STATUS_LABELS[e.status] ?? e.status}</span>
                    </td>
                    <td data-label="减员日期" className="nowrap">
                      {e.end ?? '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {shown.length < items.length && (
            <button type="button" className="btn secondary" onClick={() => setAll(true)}>
              显示全部 {items.length} 人
            </button>
          )}
        </>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- 花名册导入

function RosterImport({ onApplied }: { onApplied: () => Promise<unknown> }) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState('');
  const [busy, setBusy] = useState<'' | 'upload' | 'apply'>('');
  const [report, setReport] = useState<RosterReportOut | null>(null);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [confirm, setConfirm] = useState(false);

  const pick = (f: File | null) => {
    setFile(f);
    setFileError(f ? fileProblem(f) : '');
  };
  const upload = async (e: FormEvent) => {
    e.preventDefault();
    const problem = file ? fileProblem(file) : '请先选择花名册文件。';
    setFileError(problem);
    if (problem || !file) return;
    setBusy('upload');
    setMsg(null);
    setReport(null);
    try {
      setReport(await uploadRoster(file));
    } catch (ex) {
      setMsg({ kind: 'error', text: asApiError(ex).message });
    } finally {
      setBusy('');
    }
  };
  const apply = async (mode: 'all' | 'valid') => {
    if (!report) return;
    setBusy('apply');
    setMsg(null);
    try {
      const r = await api.applyRoster(report.id, mode);
      setReport(r);
      setMsg({ kind: 'ok', text: `已导入 ${r.appliedRows ?? 0} 行。` });
      await onApplied();
    } catch (ex) {
      setMsg({ kind: 'error', text: asApiError(ex).message });
    } finally {
      setBusy('');
      setConfirm(false);
    }
  };

  return (
    <section aria-labelledby="roster-h" className="roster">
      <h2 id="roster-h">花名册导入</h2>
      <div className="panel no-print">
        <ol className="steps">
          <li>
            <a href={TEMPLATE_HREF} download="增减员花名册模板.csv">
              下载花名册模板（CSV）
            </a>
            ，用 Excel 或 WPS 打开，每名职工填一行：
            <ul className="small">
              {ROSTER_COLUMNS.map((c) => (
                <li key={c.key}>
                  <strong>{c.label}</strong>
                  {c.help ? `：${c.help}` : ''}
                </li>
              ))}
            </ul>
          </li>
          <li>保存为 CSV 或 Excel（.xlsx）文件，上传。系统先检查全部行，列出每一处错误，此时还不会导入。</li>
          <li>看过检查结果后，再选择全部导入或只导入正确的行。</li>
        </ol>
        <form onSubmit={upload} aria-label="上传花名册" noValidate>
          <Field id={`${id}-file`} label="花名册文件" required help="CSV 或 Excel（.xlsx），不超过 30 MB。" error={fileError}>
            <input
              id={`${id}-file`}
              type="file"
              className="roster-file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-invalid={fileError ? true : undefined}
              aria-describedby={describedBy(`${id}-file`, true, fileError)}
              onChange={(e) => pick(e.target.files?.[0] ?? null)}
              disabled={busy !== ''}
            />
          </Field>
          <button type="submit" className="btn" disabled={busy !== ''}>
            {busy === 'upload' ? '正在检查…' : '上传并检查'}
          </button>
        </form>
      </div>
      {busy === 'upload' && (
        <p className="muted" role="status">
          正在检查花名册，行数多时需要一些时间…
        </p>
      )}
      {report && <Report report={report} busy={busy !== ''} onAll={() => void apply('all')} onValid={() => setConfirm(true)} />}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <Dialog
        open={confirm}
        title={`只导入正确的 ${report?.valid ?? 0} 行？`}
        confirmLabel={`导入 ${report?.valid ?? 0} 行`}
        busy={busy === 'apply'}
        onConfirm={() => void apply('valid')}
        onClose={() => setConfirm(false)}
      >
        <p>
          有错误的 {report ? report.total - report.valid : 0}{' '}
          行不会导入。请改正后，把这些行另存为新文件再上传。导入后不能撤销，如有误须逐个增员或减员更正。
        </p>
      </Dialog>
    </section>
  );
}

function fileProblem(f: File): string {
  if (!/\.(csv|xlsx)$/i.test(f.name)) return '请选择 CSV 或 Excel（.xlsx）文件。旧版 .xls 请在 Excel 中另存为 .xlsx。';
  if (f.size > MAX_ROSTER_BYTES) return '花名册文件不能超过 30 MB，请分批上传。';
  if (f.size === 0) return '这个文件是空的。';
  return '';
}

function Report({ report, busy, onAll, onValid }: { report: RosterReportOut; busy: boolean; onAll: () => void; onValid: () => void }) {
  const bad = report.total - report.valid;
  const hasErrors = report.errors.length > 0;
  const applied = report.appliedRows !== null;
  const headerBroken = report.errors.some((e) => e.line === 1);
  const badLines = new Set(report.errors.map((e) => e.line)).size;
  // Group the errors by line so every bad row reads as one block.
  const groups = useMemo(() => {
    const out: { line: number; errors: RosterReportOut['errors'] }[] = [];
    for (const e of report.errors.slice(0, MAX_SHOWN_ERRORS)) {
      const last = out[out.length - 1];
      if (last && last.line === e.line) last.errors.push(e);
      else out.push({ line: e.line, errors: [e] });
    }
    return out;
  }, [report.errors]);
  const errorsHref = useMemo(
    () => (hasErrors ? csvHref(csvText([['行号', '列', '问题'], ...report.errors.map((e) => [e.line, e.column, e.message])])) : ''),
    [report.errors, hasErrors],
  );
  const print = () => {
    document.documentElement.classList.add('print-report');
    window.print();
    document.documentElement.classList.remove('print-report');
  };
  const explainId = useId();

  return (
    <section className="roster-report" aria-labelledby="report-h">
      <h3 id="report-h">检查结果：{report.fileName}</h3>
      <p className={`report-summary${hasErrors ? ' has-errors' : ''}`} role="status">
        共 <strong>{report.total}</strong> 行，正确 <strong>{report.valid}</strong> 行，错误 <strong>{bad}</strong> 行
        {applied ? '' : '。以上尚未导入。'}
      </p>
      {headerBroken && <p className="bad">表头有误，整份文件都不能导入。请用模板的表头后重新上传。</p>}
      {hasErrors && (
        <>
          <div className="table-wrap">
            <table className="roster-errors">
              <caption>
                错误明细：{badLines} 行共 {report.errors.length} 处（行号为文件中的行号，表头是第 1 行）
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="line-col">
                    行号
                  </th>
                  <th scope="col">列</th>
                  <th scope="col">问题</th>
                </tr>
              </thead>
              {groups.map((g) => (
                <tbody key={g.line}>
                  {g.errors.map((e, i) => (
                    <tr key={i}>
                      {i === 0 && (
                        <th scope="rowgroup" rowSpan={g.errors.length} className="line-no">
                          {g.line}
                        </th>
                      )}
                      <td className="nowrap col-name">{e.column || '—'}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
          {report.errors.length > MAX_SHOWN_ERRORS && (
            <p className="small">
              页面只列出前 {MAX_SHOWN_ERRORS} 处错误，全部 {report.errors.length} 处见下载的错误清单。
            </p>
          )}
          <p className="actions-row no-print">
            <a className="btn secondary" href={errorsHref} download={`错误清单-${report.fileName.replace(/\.[^.]*$/, '')}.csv`}>
              下载错误清单（CSV）
            </a>
            <button type="button" className="btn secondary" onClick={print}>
              打印错误清单
            </button>
          </p>
        </>
      )}
      {!applied && (
        <div className="apply-choice no-print" role="group" aria-label="选择导入方式">
          <div className="actions-row">
            <button type="button" className="btn" disabled={busy || hasErrors || report.valid === 0} aria-describedby={explainId} onClick={onAll}>
              全部导入
            </button>
            {hasErrors && report.valid > 0 && (
              <button type="button" className="btn secondary" disabled={busy} onClick={onValid}>
                只导入正确的 {report.valid} 行
              </button>
            )}
          </div>
          <p className="help" id={explainId}>
            {hasErrors
              ? `有 ${bad} 行有错误，不能全部导入。请改正后重新上传整份文件${report.valid > 0 ? `，或只导入正确的 ${report.valid} 行，错误的行改正后另行上传` : ''}。`
              : report.valid === 0
                ? '文件中没有可导入的行。'
                : `全部 ${report.valid} 行均无误，点击“全部导入”后才会生效。`}
          </p>
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- 逐个增减员

type One = { action: 'add' | 'remove'; idNo: string; name: string; date: string; base: string };
const EMPTY_ONE: One = { action: 'add', idNo: '', name: '', date: '', base: '' };
const ONE_LABELS: Record<string, string> = { action: '操作', idNo: '公民身份号码', name: '姓名', date: '日期', base: '缴费基数' };

function OneByOne({ onDone }: { onDone: () => Promise<unknown> }) {
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

function BaseDeclaration({ activeCount }: { activeCount: number }) {
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
