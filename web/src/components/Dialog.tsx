/** Modal dialogs on the native <dialog> element (focus trap, Esc to close, inert background). */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export function Dialog({
  open,
  title,
  children,
  confirmLabel = '确定',
  cancelLabel = '取消',
  danger,
  busy,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel?: string;
  cancelLabel?: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
        <div className="actions-row">
          <button type="submit" className={danger ? 'btn danger' : 'btn'} disabled={busy}>
            {busy ? '请稍候…' : confirmLabel}
          </button>
          <button type="button" className="btn secondary" onClick={onClose}>
            {cancelLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Ask for a required reason text; resolves with the text or null when cancelled. */
export function ReasonDialog({
  open,
  title,
  intro,
  label,
  onSubmit,
  onClose,
  error,
  busy,
}: {
  open: boolean;
  title: string;
  intro?: ReactNode;
  label: string;
  onSubmit: (reason: string) => void;
  onClose: () => void;
  error?: string;
  busy?: boolean;
}) {
  const [text, setText] = useState('');
  const [empty, setEmpty] = useState(false);
  const id = useId();
  useEffect(() => {
    if (open) {
      setText('');
      setEmpty(false);
    }
  }, [open]);
  return (
    <Dialog
      open={open}
      title={title}
      busy={busy}
      onClose={onClose}
      onConfirm={() => {
        if (!text.trim()) setEmpty(true);
        else onSubmit(text.trim());
      }}
    >
      {intro}
      <label htmlFor={id} className="block-label">
        {label}
      </label>
      <textarea
        id={id}
        rows={3}
        maxLength={500}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={empty || undefined}
        aria-describedby={empty || error ? `${id}-err` : undefined}
        autoFocus
      />
      {(empty || error) && (
        <p className="field-error" id={`${id}-err`} role="alert">
          {empty ? '请填写理由。' : error}
        </p>
      )}
    </Dialog>
  );
}
