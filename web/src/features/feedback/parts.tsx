/** Pieces the 好差评与投诉 pages share: the print button, a required text area, a radio choice, the complaint forms' draft and fields. */
import { useEffect, useState } from 'react';
import { asApiError, fieldProblems } from '../../lib/api.ts';
import { navigate } from '../../lib/router.tsx';
import { Field, describedBy } from '../../components/Form.tsx';
import { COMPLAINT_SUBJECTS, COMPLAINT_SUBJECT_LABELS, type ComplaintSubject } from '../../../../common/feedback.ts';

/** A page's message after an action. */
export type Msg = { kind: 'ok' | 'error'; text: string } | null;

/** 打印 (the page prints without the forms: they are no-print). */
export function PrintButton({ label = '打印' }: { label?: string }) {
  return (
    <p className="no-print">
      <button type="button" className="btn secondary" onClick={() => window.print()}>
        {label}
      </button>
    </p>
  );
}

/** A required text area with its help and error tied to it. */
export function TextArea({
  id,
  label,
  value,
  onChange,
  error,
  help,
  rows = 3,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  help?: string;
  rows?: number;
}) {
  return (
    <Field id={id} label={label} required error={error} help={help}>
      <textarea
        id={id}
        rows={rows}
        maxLength={2000}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, help, error)}
      />
    </Field>
  );
}

/** Radio buttons in a fieldset, with the error under them (`errId`) tied to the fieldset. */
export function Choice<K extends string>({
  id,
  errId,
  name,
  legend,
  required,
  options,
  value,
  onChange,
  error,
  withValue,
}: {
  id?: string;
  errId: string;
  name: string;
  legend: string;
  required?: boolean;
  options: readonly (readonly [K, string])[];
  value: K | '';
  onChange: (k: K) => void;
  error?: string;
  /** Give each radio its key as its value attribute. */
  withValue?: boolean;
}) {
  return (
    <fieldset className={`field choice${error ? ' has-error' : ''}`} id={id} aria-describedby={error ? errId : undefined}>
      <legend>
        {legend}
        {required && (
          <span className="req" aria-hidden="true">
            *
          </span>
        )}
      </legend>
      {options.map(([k, label]) => (
        <label key={k} className="opt">
          <input type="radio" name={name} value={withValue ? k : undefined} checked={value === k} onChange={() => onChange(k)} />
          {label}
        </label>
      ))}
      {error && (
        <p className="field-error" id={errId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

const SUBJECT_OPTIONS = COMPLAINT_SUBJECTS.map((k) => [k, COMPLAINT_SUBJECT_LABELS[k]] as const);

/** 投诉对象 (办件 / 服务大厅 / 工作人员) on the online and the phone complaint forms. */
export function SubjectChoice({
  fid,
  value,
  onChange,
  error,
}: {
  fid: string;
  value: ComplaintSubject | '';
  onChange: (k: ComplaintSubject) => void;
  error?: string;
}) {
  return (
    <Choice
      id={`${fid}-subjectKind`}
      errId={`${fid}-subjectKind-err`}
      name="subjectKind"
      legend="投诉对象"
      required
      options={SUBJECT_OPTIONS}
      value={value}
      onChange={onChange}
      error={error}
      withValue
    />
  );
}

/** The 服务大厅 of a complaint about an office (required) or a person (optional); none for a case. */
export function OfficeField({
  fid,
  subject,
  value,
  onChange,
  offices,
  error,
}: {
  fid: string;
  subject: ComplaintSubject | '';
  value: string;
  onChange: (v: string) => void;
  offices: { id: number; name: string }[];
  error?: string;
}) {
  if (subject !== 'office' && subject !== 'person') return null;
  return (
    <Field id={`${fid}-officeId`} label="服务大厅" required={subject === 'office'} error={error}>
      <select
        id={`${fid}-officeId`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${fid}-officeId`, undefined, error)}
      >
        <option value="">请选择</option>
        {offices.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** 投诉内容, 10–2000 characters. */
export function ContentField({
  fid,
  value,
  onChange,
  error,
  help,
}: {
  fid: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  help?: string;
}) {
  return (
    <Field id={`${fid}-content`} label="投诉内容" required error={error} help={help}>
      <textarea
        id={`${fid}-content`}
        rows={6}
        maxLength={2000}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${fid}-content`, help, error)}
      />
    </Field>
  );
}

/**
 * A complaint form: its draft (kept in sessionStorage under `key` until it is sent; `start` may adjust the
 * saved one), errors, message and busy state. `sendDraft` shows `errs`; when there are none it sends once and goes
 * to the page `call` answers with, or shows the refusal (its field problems against the fields).
 */
export function useComplaintForm<D extends object>(key: string, empty: D, start: (saved: D) => D = (x) => x) {
  const [d, setD] = useState<D>(() => {
    const saved = sessionStorage.getItem(key);
    return start({ ...empty, ...(saved ? (JSON.parse(saved) as Partial<D>) : {}) });
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    sessionStorage.setItem(key, JSON.stringify(d));
  }, [d]);
  const set = <K extends keyof D>(k: K, v: D[K]) => setD((x) => ({ ...x, [k]: v }));
  const sendDraft = async (errs: Record<string, string>, call: () => Promise<string>) => {
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    setMsg('');
    try {
      const next = await call();
      sessionStorage.removeItem(key);
      navigate(next);
    } catch (err) {
      const ae = asApiError(err);
      const fp = fieldProblems(ae);
      if (fp.length) setErrors(Object.fromEntries(fp.map((p) => [p.field, p.message])));
      setMsg(ae.message);
    } finally {
      setBusy(false);
    }
  };
  const problems = Object.entries(errors).map(([field, message]) => ({ field, message }));
  return { d, setD, set, errors, msg, busy, sendDraft, problems };
}
