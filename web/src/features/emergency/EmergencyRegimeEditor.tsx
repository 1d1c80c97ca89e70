/** The emergency admin page's regime editor: the regime document edited into a new version. */
import { useRef, useState, type FormEvent } from 'react';
import { asApiError } from '../../lib/api.ts';
import { CHANNEL_LABELS } from '../../lib/format.ts';
import { Field, describedBy } from '../../components/Form.tsx';
import { CHANNEL_KIND_LABELS, MEASURE_KIND_LABELS, VALIDITY_TARGET_LABELS, type ChannelKind } from '../../../../common/emergency-kinds.ts';
import type { EmergencyMeasure } from '../../../../common/emergency.ts';
import { CASE_CHANNELS, type CaseChannel } from '../../../../common/case-channels.ts';
import { emergencyApi, type RegimeDoc } from './api.ts';
import { EDITABLE_CHANNELS, problems, type Data, type Regime, type Named } from './admin-emergency-parts.ts';

/** A list of codes as checkboxes (items, offices or channels). */
function CheckGroup({
  id,
  legend,
  options,
  value,
  onChange,
  error,
}: {
  id: string;
  legend: string;
  options: Named[];
  value: readonly string[];
  onChange: (v: string[]) => void;
  error?: string;
}) {
  const set = new Set(value);
  return (
    <fieldset className={`check-grid${error ? ' has-error' : ''}`} id={id} aria-describedby={error ? `${id}-err` : undefined}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.code}>
          <input
            type="checkbox"
            checked={set.has(o.code)}
            onChange={(e) => onChange(options.map((x) => x.code).filter((c) => (c === o.code ? e.target.checked : set.has(c))))}
          />
          <span>
            {o.name}
            {o.name !== o.code && <span className="muted">（{o.code}）</span>}
          </span>
        </label>
      ))}
      {error && (
        <p className="field-error" id={`${id}-err`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

export function RegimeEditor({
  regime,
  data,
  onCancel,
  onSaved,
}: {
  regime: Regime;
  data: Data;
  onCancel: () => void;
  onSaved: (text: string) => void;
}) {
  const [doc, setDoc] = useState<RegimeDoc>(() => structuredClone(regime.doc));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ path: string; message: string }[]>([]);
  const [general, setGeneral] = useState('');
  const summaryRef = useRef<HTMLDivElement>(null);
  const err = (path: string) => errors.find((e) => e.path === path)?.message;
  const fid = (path: string) => `ed-${path.replaceAll('.', '-')}`;
  const setMeasure = (i: number, patch: Partial<EmergencyMeasure>) =>
    setDoc((d) => ({ ...d, measures: d.measures.map((m, j) => (j === i ? ({ ...m, ...patch } as EmergencyMeasure) : m)) }));
  const itemOptions = data.items;
  const officeOptions = data.offices;
  const channelOptions = EDITABLE_CHANNELS.map((c) => ({ code: c, name: CHANNEL_KIND_LABELS[c] }));
  const caseChannelOptions = CASE_CHANNELS.map((c) => ({ code: c, name: CHANNEL_LABELS[c] ?? c }));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const local: { path: string; message: string }[] = [];
    if (!note.trim()) local.push({ path: 'note', message: '请写明修订说明。' });
    if (local.length) {
      setErrors(local);
      setGeneral('');
      setTimeout(() => summaryRef.current?.focus());
      return;
    }
    setBusy(true);
    try {
      const r = await emergencyApi.revise(doc.code, { baseVersion: regime.version, note: note.trim(), doc });
      onSaved(
        `已保存为第 ${r.version} 版。${r.appliedToPeriod ? `生效中的应急状态已采用新版本${r.extended ? `，并自动延长了 ${r.extended} 项有效期` : ''}。` : ''}`,
      );
    } catch (ex) {
      const a = asApiError(ex);
      const probs = problems(ex);
      setErrors(probs);
      setGeneral(probs.length ? '' : a.message);
      setTimeout(() => summaryRef.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  const text = (
    path: string,
    label: string,
    value: string,
    onChange: (v: string) => void,
    opts: { rows?: number; help?: string; required?: boolean } = {},
  ) => {
    const id = fid(path);
    const e = err(path);
    return (
      <Field id={id} label={label} required={opts.required ?? true} error={e} help={opts.help}>
        {opts.rows ? (
          <textarea
            id={id}
            rows={opts.rows}
            value={value}
            maxLength={4000}
            onChange={(ev) => onChange(ev.target.value)}
            aria-invalid={e ? true : undefined}
            aria-describedby={describedBy(id, opts.help, e)}
          />
        ) : (
          <input
            id={id}
            value={value}
            maxLength={100}
            onChange={(ev) => onChange(ev.target.value)}
            aria-invalid={e ? true : undefined}
            aria-describedby={describedBy(id, opts.help, e)}
          />
        )}
      </Field>
    );
  };
  const num = (path: string, label: string, value: number, onChange: (v: number) => void, help?: string) => {
    const id = fid(path);
    const e = err(path);
    return (
      <Field id={id} label={label} required error={e} help={help}>
        <input
          id={id}
          className="num"
          type="number"
          inputMode="numeric"
          min={0}
          max={30}
          value={Number.isFinite(value) ? value : ''}
          onChange={(ev) => onChange(ev.target.value === '' ? Number.NaN : Number(ev.target.value))}
          aria-invalid={e ? true : undefined}
          aria-describedby={describedBy(id, help, e)}
        />
      </Field>
    );
  };

  return (
    <form className="em-edit" onSubmit={save} aria-label="修订应急预案" noValidate>
      <p className="muted small">修改后保存为第 {regime.version + 1} 版；生效中的应急状态立即采用新版本。原文（种子）不可修改。</p>
      {(errors.length > 0 || general) && (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
          <p>
            <strong>未能保存，请修改：</strong>
          </p>
          {general && <p>{general}</p>}
          <ul>
            {errors.map((x, i) => (
              <li key={i}>{x.path && document.getElementById(fid(x.path)) ? <a href={`#${fid(x.path)}`}>{x.message}</a> : x.message}</li>
            ))}
          </ul>
        </div>
      )}
      <fieldset className="measure">
        <legend>公告</legend>
        {text('notice.title', '公告标题', doc.notice.title, (v) => setDoc((d) => ({ ...d, notice: { ...d.notice, title: v } })))}
        {text('notice.text', '公告内容', doc.notice.text, (v) => setDoc((d) => ({ ...d, notice: { ...d.notice, text: v } })), { rows: 3 })}
      </fieldset>
      {doc.measures.map((m, i) => {
        const p = (f: string) => `measures.${i}.${f}`;
        return (
          <fieldset key={m.id} className="measure">
            <legend>
              {MEASURE_KIND_LABELS[m.kind]}：{m.title}
            </legend>
            <p className="seed">原文：{m.source.text}</p>
            {m.note && <p className="seed">说明：{m.note}</p>}
            {m.kind === 'contactless' && (
              <>
                <CheckGroup
                  id={fid(p('items'))}
                  legend="适用事项"
                  options={itemOptions}
                  value={m.items}
                  onChange={(v) => setMeasure(i, { items: v })}
                  error={err(p('items'))}
                />
                <CheckGroup
                  id={fid(p('channels'))}
                  legend="推荐渠道（按此顺序排在前面）"
                  options={channelOptions}
                  value={m.channels}
                  onChange={(v) => setMeasure(i, { channels: v as ChannelKind[] })}
                  error={err(p('channels'))}
                />
                {text(p('wording'), '办事指南上的提示', m.wording, (v) => setMeasure(i, { wording: v }), { rows: 2 })}
              </>
            )}
            {m.kind === 'deferred' && (
              <>
                <CheckGroup
                  id={fid(p('items'))}
                  legend="暂缓办理的事项"
                  options={itemOptions}
                  value={m.items}
                  onChange={(v) => setMeasure(i, { items: v })}
                  error={err(p('items'))}
                />
                {text(p('message'), '不予受理新申请时的提示', m.message, (v) => setMeasure(i, { message: v }), { rows: 3 })}
                <CheckGroup
                  id={fid(p('exceptChannels'))}
                  legend="仍可办理的收件渠道"
                  options={caseChannelOptions}
                  value={m.exceptChannels}
                  onChange={(v) => setMeasure(i, { exceptChannels: v as CaseChannel[] })}
                  error={err(p('exceptChannels'))}
                />
              </>
            )}
            {m.kind === 'auto_pass' && (
              <>
                <CheckGroup
                  id={fid(p('items'))}
                  legend="先自动通过的事项"
                  options={itemOptions}
                  value={m.items}
                  onChange={(v) => setMeasure(i, { items: v })}
                  error={err(p('items'))}
                />
                {text(p('wording'), '告知申请人的说明', m.wording, (v) => setMeasure(i, { wording: v }), { rows: 2 })}
              </>
            )}
            {m.kind === 'extend_validity' && (
              <>
                <Field
                  id={fid(p('until'))}
                  label={`${VALIDITY_TARGET_LABELS[m.target]}延长至`}
                  required
                  error={err(p('until'))}
                  help="启用时，开始日期之后、此日期之前到期的，延长至此日期。"
                >
                  <input
                    id={fid(p('until'))}
                    type="date"
                    value={m.until}
                    onChange={(ev) => setMeasure(i, { until: ev.target.value })}
                    aria-invalid={err(p('until')) ? true : undefined}
                    aria-describedby={describedBy(fid(p('until')), true, err(p('until')))}
                  />
                </Field>
                {text(p('wording'), '公布的文字', m.wording, (v) => setMeasure(i, { wording: v }), { rows: 2 })}
              </>
            )}
            {m.kind === 'contribution_grace' && (
              <>
                {num(p('graceMonths'), '应急状态结束后补缴期限（月）', m.graceMonths, (v) => setMeasure(i, { graceMonths: v }))}
                {text(p('wording'), '公布的文字', m.wording, (v) => setMeasure(i, { wording: v }), { rows: 2 })}
              </>
            )}
            {m.kind === 'long_prescription' && (
              <>
                {num(p('maxMonths'), '处方最长（月）', m.maxMonths, (v) => setMeasure(i, { maxMonths: v }))}
                {text(p('wording'), '公布的规则', m.wording, (v) => setMeasure(i, { wording: v }), { rows: 2 })}
              </>
            )}
            {m.kind === 'appointment_only' && (
              <>
                <label className="opt">
                  <input
                    type="checkbox"
                    checked={m.offices === 'all'}
                    onChange={(ev) => setMeasure(i, { offices: ev.target.checked ? 'all' : [] })}
                  />
                  全部办事地点仅接待预约
                </label>
                {m.offices !== 'all' && (
                  <CheckGroup
                    id={fid(p('offices'))}
                    legend="仅接待预约的办事地点"
                    options={officeOptions}
                    value={m.offices}
                    onChange={(v) => setMeasure(i, { offices: v })}
                    error={err(p('offices'))}
                  />
                )}
                {num(p('minWorkingDaysAhead'), '至少提前几个工作日预约', m.minWorkingDaysAhead, (v) => setMeasure(i, { minWorkingDaysAhead: v }))}
                {text(p('wording'), '公布的文字', m.wording, (v) => setMeasure(i, { wording: v }), { rows: 2 })}
              </>
            )}
            {m.kind === 'info' &&
              text(p('wording'), '公布的文字', m.wording ?? '', (v) => setMeasure(i, { wording: v || undefined }), { rows: 2, required: false })}
          </fieldset>
        );
      })}
      {text('note', '修订说明', note, setNote, { rows: 2, help: '记入版本记录和审计日志。' })}
      <div className="actions-row">
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? '正在保存…' : `保存为第 ${regime.version + 1} 版`}
        </button>
        <button type="button" className="btn secondary" onClick={onCancel}>
          取消
        </button>
      </div>
    </form>
  );
}
