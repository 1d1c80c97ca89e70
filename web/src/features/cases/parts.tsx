/** Pieces shared by the applicant and staff case pages: uploads, timeline, documents, status. */
import { useId, useRef, useState, type ReactNode } from 'react';
import { api, asApiError, uploadMaterial, type CaseDetail, type MaterialOut } from '../../lib/api.ts';
import { CLOCK_EVENT_LABELS, deadlineText, fmtDate, fmtDateTime, fmtSize, limitsText } from '../../lib/format.ts';
import { DueDate, ProvisionalNote } from '../../components/DateText.tsx';

type Limits = CaseDetail['form']['limits'];

const EXT_OK = /\.(pdf|jpe?g|png)$/i;

/** Check a file before sending it; the server still decides by the file's content. */
export function precheck(file: File, limits: Limits, existing: MaterialOut[]): string | null {
  if (!EXT_OK.test(file.name)) return `“${file.name}”不是 PDF、JPG 或 PNG 文件。`;
  if (file.size === 0) return `“${file.name}”是空文件，请重新选择。`;
  if (file.size > limits.maxFileBytes) return `“${file.name}”有 ${fmtSize(file.size)}，单个文件不能超过 ${fmtSize(limits.maxFileBytes)}。`;
  if (existing.length + 1 > limits.maxFilesPerCase) return `每个办件最多上传 ${limits.maxFilesPerCase} 个文件。`;
  const total = existing.reduce((s, m) => s + m.size, 0) + file.size;
  if (total > limits.maxCaseBytes) return `材料合计不能超过 ${fmtSize(limits.maxCaseBytes)}（已上传 ${fmtSize(total - file.size)}）。`;
  return null;
}

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return <span className={`status s-${status}`}>{label}</span>;
}

export function Deadline({ c }: { c: Pick<CaseDetail, 'overdue' | 'workingDaysLeft' | 'clockState' | 'dueDate'> }) {
  const t = deadlineText(c);
  if (!t) return null;
  return (
    <span className={c.overdue ? 'deadline overdue' : c.workingDaysLeft !== null && c.workingDaysLeft <= 2 ? 'deadline soon' : 'deadline'}>{t}</span>
  );
}

/** One material: name, notes, tags, uploaded files and an upload button. */
export function MaterialUpload({
  caseId,
  material,
  files,
  allFiles,
  limits,
  canUpload,
  canDelete,
  onChanged,
  extra,
  headingLevel = 3,
}: {
  caseId: number;
  material: { index: number; name: string; note?: string; condition?: string; tolerable?: boolean; applies?: string };
  files: MaterialOut[];
  allFiles: MaterialOut[];
  limits: Limits;
  canUpload: boolean;
  canDelete: (m: MaterialOut) => boolean;
  onChanged: () => Promise<unknown> | void;
  extra?: ReactNode;
  headingLevel?: 3 | 4;
}) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const H = headingLevel === 3 ? 'h3' : 'h4';

  const upload = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    setError('');
    setDone('');
    const current = [...allFiles];
    const ok: string[] = [];
    for (const file of Array.from(list)) {
      const p = precheck(file, limits, current);
      if (p) {
        setError(p);
        break;
      }
      setBusy(`正在上传“${file.name}”…`);
      try {
        const m = await uploadMaterial(caseId, material.index, file);
        current.push(m);
        ok.push(file.name);
      } catch (e) {
        setError(`“${file.name}”上传失败：${asApiError(e).message}`);
        break;
      }
    }
    setBusy('');
    if (inputRef.current) inputRef.current.value = '';
    if (ok.length) setDone(`已上传：${ok.join('、')}`);
    await onChanged();
  };

  const remove = async (m: MaterialOut) => {
    setError('');
    setDone('');
    setBusy(`正在删除“${m.fileName}”…`);
    try {
      await api.deleteMaterial(caseId, m.id);
      setDone(`已删除“${m.fileName}”`);
    } catch (e) {
      setError(asApiError(e).message);
    }
    setBusy('');
    await onChanged();
  };

  return (
    <li className={`mat${files.length ? ' has-files' : ''}`}>
      <div className="mat-head">
        <H className="mat-name" id={`${id}-name`}>
          {material.name}
        </H>
        <span className="mat-tags">
          {material.applies === 'yes' && <span className="tag warn">必需</span>}
          {material.applies === 'maybe' && <span className="tag">如适用</span>}
          {material.tolerable && <span className="tag ok">可容缺</span>}
          {files.length > 0 && <span className="tag ok">已上传 {files.length} 个</span>}
        </span>
      </div>
      {(material.condition || material.note) && (
        <p className="m-meta">
          {material.condition && <span>适用：{material.condition}</span>}
          {material.note && <span>{material.note}</span>}
        </p>
      )}
      {extra}
      {files.length > 0 && (
        <ul className="files" aria-label={`${material.name}已上传的文件`}>
          {files.map((f) => (
            <li key={f.id}>
              <a href={`/api/cases/${caseId}/materials/${f.id}/file`} target="_blank" rel="noreferrer">
                {f.fileName}
              </a>
              <span className="muted small">
                {fmtSize(f.size)} · {fmtDateTime(f.uploadedAt)}
              </span>
              {canDelete(f) && (
                <button type="button" className="btn small secondary" onClick={() => remove(f)} disabled={!!busy} aria-label={`删除 ${f.fileName}`}>
                  删除
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canUpload && (
        <div className="upload">
          <input
            ref={inputRef}
            id={`${id}-file`}
            className="file-input"
            type="file"
            accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
            multiple
            disabled={!!busy}
            onChange={(e) => upload(e.target.files)}
            aria-describedby={`${id}-limits`}
          />
          <label htmlFor={`${id}-file`} className="btn secondary file-label">
            上传文件<span className="sr-only">：{material.name}</span>
          </label>
          <span className="muted small" id={`${id}-limits`}>
            {limitsText(limits)}
          </span>
        </div>
      )}
      <div role="status" className="small">
        {busy || done}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

export function Timeline({ events }: { events: CaseDetail['events'] }) {
  if (!events.length) return <p className="muted">暂无记录。</p>;
  return (
    <ol className="timeline">
      {events.map((e, i) => (
        <li key={i}>
          <time dateTime={e.at}>{fmtDateTime(e.at)}</time>
          <div>
            <strong>{e.label}</strong> <span className="muted">· {e.actor}</span>
            {e.note && <p className="ev-note">{e.note}</p>}
          </div>
        </li>
      ))}
    </ol>
  );
}

export function ClockEvents({ events }: { events: CaseDetail['clockEvents'] }) {
  if (!events.length) return null;
  return (
    <ol className="timeline clock">
      {events.map((e, i) => (
        <li key={i}>
          <time dateTime={e.at}>{fmtDate(e.day)}</time>
          <div>
            <strong>{CLOCK_EVENT_LABELS[e.kind] ?? e.kind}</strong>
            {e.dueDate && <span className="muted"> · 到期日 {e.dueDate}</span>}
          </div>
        </li>
      ))}
    </ol>
  );
}

export function Documents({ c }: { c: CaseDetail }) {
  if (!c.documents.length) return <p className="muted">暂无文书。</p>;
  return (
    <ul className="docs">
      {c.documents.map((d) => (
        <li key={d.id}>
          <a href={`/api/cases/${c.id}/documents/${d.id}/pdf`} target="_blank" rel="noreferrer">
            {d.title}（PDF）
          </a>
          <span className="muted small">
            文号 {d.docNo} · {d.issuedOn} ·{' '}
            <span className="nowrap">
              核验码 <span className="mono">{d.verifyCode}</span>
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The deadline block: due date in working days, remaining days, the item's time-limit text. */
export function DeadlineFacts({ c }: { c: CaseDetail }) {
  return (
    <dl className="facts">
      <div>
        <dt>当前状态</dt>
        <dd>
          <StatusBadge status={c.status} label={c.statusLabel} />
        </dd>
      </div>
      <div>
        <dt>办件编号</dt>
        <dd className="mono">{c.caseNo ?? '（提交后生成）'}</dd>
      </div>
      <div>
        <dt>办理时限</dt>
        <dd>{c.slaText}</dd>
      </div>
      <div>
        <dt>到期日</dt>
        <dd>
          <DueDate date={c.dueDate} provisional={c.dueProvisional} /> <Deadline c={c} />
          {c.dueProvisional && <ProvisionalNote what="到期日" />}
        </dd>
      </div>
      <div>
        <dt>提交时间</dt>
        <dd>{fmtDateTime(c.submittedAt)}</dd>
      </div>
      <div>
        <dt>渠道</dt>
        <dd>{c.channelLabel}</dd>
      </div>
    </dl>
  );
}

/** The answers of the form, labelled (option values shown as their labels). */
export function AnswersList({ c }: { c: CaseDetail }) {
  const rows = c.form.fields.filter((f) => (c.answers[f.id] ?? '') !== '');
  if (!rows.length) return <p className="muted">未填写。</p>;
  return (
    <dl className="answers">
      {rows.map((f) => {
        const v = c.answers[f.id]!;
        return (
          <div key={f.id}>
            <dt>{f.label}</dt>
            <dd>{f.options?.find((o) => o.value === v)?.label ?? v}</dd>
          </div>
        );
      })}
    </dl>
  );
}
