/** The unit page's 花名册导入: upload, the per-row report, and importing all or only the correct rows. */
import { useId, useMemo, useState, type FormEvent } from 'react';
import { api, asApiError, uploadRoster, type RosterReportOut } from '../../lib/api.ts';
import { Field, Notice, describedBy } from '../../components/Form.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { ROSTER_COLUMNS } from '../../../../common/roster.ts';
import { MAX_ROSTER_BYTES, MAX_SHOWN_ERRORS, csvText, csvHref, TEMPLATE_HREF } from './unit-parts.ts';

// ---------------------------------------------------------------- 花名册导入

export function RosterImport({ onApplied }: { onApplied: () => Promise<unknown> }) {
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
