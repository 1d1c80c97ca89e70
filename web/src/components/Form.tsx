/** Form building blocks shared by the application, registration and back-office pages. */
import { useEffect, useRef, type ReactNode } from 'react';
import { citizenIdProblem } from '../../../common/ids.ts';
import type { FieldProblem } from '../lib/api.ts';

export interface FieldDef {
  id: string;
  label: string;
  type: string;
  required: boolean;
  options?: { value: string; label: string }[];
  help?: string;
  max?: number;
}

export function idProblemText(p: ReturnType<typeof citizenIdProblem>): string | null {
  if (p === 'format') return '公民身份号码应为18位（最后一位可为X）。';
  if (p === 'birthdate') return '公民身份号码中的出生日期无效。';
  if (p === 'checksum') return '公民身份号码校验位不正确，请核对。';
  return null;
}

/** One labelled input with its help and error text tied to it (aria-describedby). */
export function Field({
  id,
  label,
  required,
  help,
  error,
  children,
}: {
  id: string;
  label: ReactNode;
  required?: boolean;
  help?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="req" aria-hidden="true">
            *
          </span>
        )}
        {!required && <span className="opt-tag">（选填）</span>}
      </label>
      {children}
      {help && (
        <p className="help" id={`${id}-help`}>
          {help}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-err`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function describedBy(id: string, help?: unknown, error?: unknown): string | undefined {
  const ids = [help ? `${id}-help` : '', error ? `${id}-err` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** An input for a data-driven form field (text, textarea, date, number, money, select, citizen_id, mobile, bank_account). */
export function FormFieldInput({
  field,
  value,
  onChange,
  error,
  prefix = 'f',
}: {
  field: FieldDef;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  prefix?: string;
}) {
  const id = `${prefix}-${field.id}`;
  const common = {
    id,
    name: field.id,
    value,
    required: field.required,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, field.help, error),
  } as const;
  if (field.type === 'select' && field.options && field.options.length <= 6) {
    return (
      <fieldset className={`field choice${error ? ' has-error' : ''}`} aria-describedby={describedBy(id, field.help, error)} id={id}>
        <legend>
          {field.label}
          {field.required && (
            <span className="req" aria-hidden="true">
              *
            </span>
          )}
        </legend>
        {field.options.map((o) => (
          <label key={o.value} className="opt">
            <input
              type="radio"
              name={field.id}
              value={o.value}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
              required={field.required}
            />
            {o.label}
          </label>
        ))}
        {field.help && (
          <p className="help" id={`${id}-help`}>
            {field.help}
          </p>
        )}
        {error && (
          <p className="field-error" id={`${id}-err`}>
            {error}
          </p>
        )}
      </fieldset>
    );
  }
  let input: ReactNode;
  switch (field.type) {
    case 'textarea':
      input = <textarea {...common} rows={4} maxLength={field.max} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'date':
      input = <input {...common} type="date" onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'number':
      input = <input {...common} type="text" inputMode="decimal" onChange={(e) => onChange(e.target.value.trim())} />;
      break;
    case 'money':
      input = (
        <span className="with-unit">
          <input {...common} type="text" inputMode="decimal" onChange={(e) => onChange(e.target.value.trim())} />
          <span aria-hidden="true">元</span>
        </span>
      );
      break;
    case 'select':
      input = (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          <option value="">请选择</option>
          {field.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    case 'citizen_id':
      input = (
        <input
          {...common}
          type="text"
          autoComplete="off"
          maxLength={18}
          spellCheck={false}
          className="mono"
          onChange={(e) => onChange(e.target.value.toUpperCase().trim())}
        />
      );
      break;
    case 'mobile':
      input = (
        <input {...common} type="tel" inputMode="numeric" autoComplete="tel" maxLength={11} onChange={(e) => onChange(e.target.value.trim())} />
      );
      break;
    case 'bank_account':
      input = (
        <input
          {...common}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          maxLength={30}
          className="mono"
          onChange={(e) => onChange(e.target.value.replace(/\s+/g, ''))}
        />
      );
      break;
    default:
      input = <input {...common} type="text" maxLength={field.max} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <Field id={id} label={field.label} required={field.required} help={field.help} error={error}>
      {input}
    </Field>
  );
}

/** "请修改以下 N 处" summary at the top of a form: focused when it appears, each line links to its field. */
export function ErrorSummary({
  title,
  problems,
  prefix = 'f',
  labels,
}: {
  title: string;
  problems: FieldProblem[];
  prefix?: string;
  labels?: Record<string, string>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length) ref.current?.focus();
  }, [problems]);
  if (!problems.length) return null;
  return (
    <div className="error-box error-summary" role="alert" tabIndex={-1} ref={ref}>
      <p>
        <strong>{title}</strong>
      </p>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            {p.field ? (
              <a
                href={`#${prefix}-${p.field}`}
                onClick={(e) => {
                  const el = document.getElementById(`${prefix}-${p.field}`);
                  if (!el) return;
                  e.preventDefault();
                  el.scrollIntoView({ block: 'center' });
                  (el.matches('fieldset') ? el.querySelector<HTMLElement>('input') : el)?.focus();
                }}
              >
                {labels?.[p.field] ? `${labels[p.field]}：` : ''}
                {p.message}
              </a>
            ) : (
              p.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A live message (status or alert) that takes focus when it changes, so keyboard users land on the result. */
export function Notice({ kind, children, focus = true }: { kind: 'ok' | 'error' | 'info'; children: ReactNode; focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [children, focus]);
  return (
    <div ref={ref} tabIndex={-1} className={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** A form's submit button (its label while busy, disabled meanwhile) and, given onCancel, 取消. */
export function FormActions({ busy, label, busyLabel, onCancel }: { busy: boolean; label: string; busyLabel: string; onCancel?: () => void }) {
  return (
    <div className="actions-row">
      <button type="submit" className="btn" disabled={busy}>
        {busy ? busyLabel : label}
      </button>
      {onCancel && (
        <button type="button" className="btn secondary" onClick={onCancel}>
          取消
        </button>
      )}
    </div>
  );
}
