/**
 * One 差评整改 task, printable: the rating, the applicant to call back, the deadline, the
 * call-back and result forms, and the appeal (file one; a supervisor other than the handler decides).
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { asApiError, fieldProblems } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { fmtDateTime } from '../../lib/format.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';
import { Tel } from '../../components/Contact.tsx';
import {
  APPEAL_KINDS,
  APPEAL_KIND_LABELS,
  CALLBACK_CHANNELS,
  CALLBACK_LABELS,
  type AppealKind,
  type CallbackChannel,
} from '../../../../common/feedback.ts';
import { chinaLocalInput, dueClass, dueText, feedbackApi, fromChinaLocal, type RectificationDetail } from './api.ts';
import { Choice, PrintButton, TextArea, type Msg } from './parts.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import './feedback.css';
import { DueDate } from '../../components/DateText.tsx';

export function RectificationPage({ id }: { id: number }) {
  return <RequireLogin staff>{() => <Rectification id={id} />}</RequireLogin>;
}

function Rectification({ id }: { id: number }) {
  const {
    data: r,
    setData: setR,
    error: loadErr,
    reload: load,
  } = useLoad(async () => {
    const d = await feedbackApi.rectification(id);
    document.title = `差评整改 ${d.caseNo ?? `#${d.id}`} · 工作台`;
    return d;
  }, [id]);
  const [msg, setMsg] = useState<Msg>(null);
  if (loadErr) return <ErrorBox message={loadErr.message} retry={load} />;
  if (!r) return <Loading />;
  const done = (text: string) => (d?: RectificationDetail) => {
    if (d) setR(d);
    else void load();
    setMsg({ kind: 'ok', text });
  };
  const fail = (text: string) => setMsg({ kind: 'error', text });

  return (
    <article className="fb-detail">
      <Crumbs
        items={[{ href: '/staff', label: '工作台' }, { href: '/staff/feedback', label: '好差评与投诉' }, { label: r.caseNo ?? `整改 #${r.id}` }]}
      />
      <h1>
        差评整改 <span className="mono">{r.caseNo ?? (r.subjectKind === 'visit' ? `大厅服务（预约 #${r.appointmentId}）` : `#${r.id}`)}</span>
      </h1>
      <p>
        <span className={`status fb-st-${r.status}`}>{r.statusLabel}</span>{' '}
        {(r.status === 'open' || r.status === 'in_progress') && <span className={dueClass(r)}>整改期限：{dueText(r)}</span>}
      </p>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}

      <section className="panel" aria-labelledby="fb-rating-h">
        <h2 id="fb-rating-h">评价</h2>
        <dl className="kv fb-kv">
          <dt>评价</dt>
          <dd>
            <span className={`fb-badge lv${r.level}`}>{r.levelLabel}</span>（{fmtDateTime(r.ratedAt)}）
            {r.excluded && <span className="tag">不计入满意度</span>}
          </dd>
          <dt>评价内容</dt>
          <dd className="fb-content">{r.comment || '（未填写）'}</dd>
          {r.caseId && (
            <>
              <dt>办件</dt>
              <dd>
                <Link href={`/staff/cases/${r.caseId}`} className="mono">
                  {r.caseNo}
                </Link>{' '}
                {r.itemName}
              </dd>
            </>
          )}
          <dt>经办人</dt>
          <dd>{r.handlerName ?? '—'}</dd>
          <dt>服务大厅</dt>
          <dd>{r.officeName ?? '—'}</dd>
          <dt>申请人</dt>
          <dd>
            {r.applicantName ?? '—'}
            {r.applicantPhone && (
              <>
                ，<Tel n={r.applicantPhone} />
              </>
            )}
          </dd>
          <dt>整改期限</dt>
          <dd>
            {r.dueDate ? <DueDate date={r.dueDate} provisional={r.dueProvisional} /> : (r.calendarProblem ?? '—')}（{r.days} 个工作日，自{' '}
            {fmtDateTime(r.openedAt)} 起）
          </dd>
        </dl>
      </section>

      <section className="panel" aria-labelledby="fb-cb-h">
        <h2 id="fb-cb-h">回访</h2>
        {r.callbackAt ? (
          <dl className="kv fb-kv">
            <dt>回访时间</dt>
            <dd>{fmtDateTime(r.callbackAt)}</dd>
            <dt>回访方式</dt>
            <dd>{r.callbackChannelLabel}</dd>
            <dt>申请人意见</dt>
            <dd className="fb-content">{r.callbackNote}</dd>
            <dt>回访人</dt>
            <dd>{r.callbackByName ?? '—'}</dd>
          </dl>
        ) : (
          <p className="muted">尚未回访。</p>
        )}
        {r.can.callback && <CallbackForm r={r} onDone={done('已保存回访记录。')} onFail={fail} />}
      </section>

      <section className="panel" aria-labelledby="fb-res-h">
        <h2 id="fb-res-h">整改结果</h2>
        {r.result ? (
          <dl className="kv fb-kv">
            <dt>结果</dt>
            <dd className="fb-content">{r.result}</dd>
            <dt>办结</dt>
            <dd>
              {fmtDateTime(r.closedAt)} {r.resultByName ?? ''}
            </dd>
          </dl>
        ) : (
          <p className="muted">{r.status === 'open' ? '请先回访申请人，再记录整改结果。' : '尚未办结。'}</p>
        )}
        {r.can.result && <ResultForm r={r} onDone={done('已记录整改结果，整改办结，已通知申请人。')} onFail={fail} />}
      </section>

      <section className="panel" aria-labelledby="fb-ap-h">
        <h2 id="fb-ap-h">申诉</h2>
        {r.appeal ? (
          <dl className="kv fb-kv">
            <dt>类型</dt>
            <dd>{r.appeal.kindLabel}</dd>
            <dt>理由</dt>
            <dd className="fb-content">{r.appeal.reason}</dd>
            <dt>提出</dt>
            <dd>
              {r.appeal.filedByName}，{fmtDateTime(r.appeal.filedAt)}
            </dd>
            <dt>状态</dt>
            <dd>
              <span className={`status fb-ap-${r.appeal.status}`}>{r.appeal.statusLabel}</span>
            </dd>
            {r.appeal.decidedAt && (
              <>
                <dt>裁决</dt>
                <dd>
                  {r.appeal.decidedByName}，{fmtDateTime(r.appeal.decidedAt)}：{r.appeal.decisionNote}
                </dd>
              </>
            )}
          </dl>
        ) : (
          <p className="muted">未提出申诉。经核实属于误评或恶意差评的，可提出申诉，由监督人员裁决。</p>
        )}
        {r.decideBlocked && <p className="notice info">{r.decideBlocked}</p>}
        {r.can.appeal && <AppealForm r={r} onDone={done('已提出申诉，等待监督人员裁决。')} onFail={fail} />}
        {r.can.decide && r.appeal && <DecisionForm appealId={r.appeal.id} onDone={done('已裁决。')} onFail={fail} />}
      </section>

      <PrintButton />
    </article>
  );
}

interface FormProps {
  r: RectificationDetail;
  onDone: (d?: RectificationDetail) => void;
  onFail: (text: string) => void;
}

function FormBox({
  label,
  onSubmit,
  busy,
  submit,
  children,
}: {
  label: string;
  onSubmit: (e: FormEvent) => void;
  busy: boolean;
  submit: string;
  children: ReactNode;
}) {
  return (
    <form className="fb-form no-print" onSubmit={onSubmit} noValidate aria-label={label}>
      {children}
      <div className="actions-row">
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? '请稍候…' : submit}
        </button>
      </div>
    </form>
  );
}

/**
 * A form's errors and busy state, and `send`: show `errs`, and when there are none send `call` once at a time.
 * Its answer (the task as it now stands, or nothing: reload) goes to onDone, a refusal's message to onFail
 * and, with `showFieldProblems`, the refusal's field problems to the form.
 */
function useSend({ onDone, onFail }: Pick<FormProps, 'onDone' | 'onFail'>, showFieldProblems = false) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const send = async (errs: Record<string, string>, call: () => Promise<RectificationDetail | void>) => {
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      onDone((await call()) ?? undefined);
    } catch (err) {
      const ae = asApiError(err);
      if (showFieldProblems) setErrors(Object.fromEntries(fieldProblems(ae).map((p) => [p.field, p.message])));
      onFail(ae.message);
    } finally {
      setBusy(false);
    }
  };
  return { errors, busy, send };
}

function CallbackForm({ r, onDone, onFail }: FormProps) {
  const fid = useId();
  const [at, setAt] = useState(() => chinaLocalInput(new Date()));
  const [channel, setChannel] = useState<CallbackChannel>((r.callbackChannel as CallbackChannel | null) ?? 'phone');
  const [note, setNote] = useState(r.callbackNote ?? '');
  const { errors, busy, send } = useSend({ onDone, onFail }, true);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!at) errs.at = '请填写回访时间。';
    if (note.trim().length < 2) errs.note = '请记录申请人的意见。';
    await send(errs, () => feedbackApi.callback(r.id, { at: fromChinaLocal(at), channel, note: note.trim() }));
  };
  return (
    <FormBox label="记录回访" onSubmit={submit} busy={busy} submit={r.callbackAt ? '更新回访记录' : '保存回访记录'}>
      <h3>{r.callbackAt ? '更新回访记录' : '记录回访'}</h3>
      <div className="fb-row">
        <div className={`field${errors.at ? ' has-error' : ''}`}>
          <label htmlFor={`${fid}-at`}>回访时间</label>
          <input
            id={`${fid}-at`}
            type="datetime-local"
            value={at}
            onChange={(e) => setAt(e.target.value)}
            aria-invalid={errors.at ? true : undefined}
            aria-describedby={errors.at ? `${fid}-at-err` : undefined}
          />
          {errors.at && (
            <p className="field-error" id={`${fid}-at-err`}>
              {errors.at}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${fid}-ch`}>回访方式</label>
          <select id={`${fid}-ch`} value={channel} onChange={(e) => setChannel(e.target.value as CallbackChannel)}>
            {CALLBACK_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {CALLBACK_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <TextArea
        id={`${fid}-note`}
        label="申请人意见"
        value={note}
        onChange={setNote}
        error={errors.note}
        help="回访时申请人说了什么，是否认可处理。"
      />
    </FormBox>
  );
}

function ResultForm({ r, onDone, onFail }: FormProps) {
  const fid = useId();
  const [result, setResult] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (result.trim().length < 5) return setError('请写明整改措施和结果（至少 5 个字）。');
    setError('');
    setBusy(true);
    try {
      onDone(await feedbackApi.result(r.id, result.trim()));
    } catch (err) {
      const ae = asApiError(err);
      setError(fieldProblems(ae)[0]?.message ?? '');
      onFail(ae.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormBox label="记录整改结果" onSubmit={submit} busy={busy} submit="记录整改结果并办结">
      <TextArea
        id={`${fid}-res`}
        label="整改结果"
        value={result}
        onChange={setResult}
        error={error}
        help="申请人将在办件页面看到整改结果，并收到短信。"
        rows={4}
      />
    </FormBox>
  );
}

const APPEAL_KIND_OPTIONS = APPEAL_KINDS.map((k) => [k, APPEAL_KIND_LABELS[k]] as const);

function AppealForm({ r, onDone, onFail }: FormProps) {
  const fid = useId();
  const [kind, setKind] = useState<AppealKind | ''>('');
  const [reason, setReason] = useState('');
  const { errors, busy, send } = useSend({ onDone, onFail });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!kind) errs.kind = '请选择申诉类型。';
    if (reason.trim().length < 5) errs.reason = '请写明申诉理由和依据（至少 5 个字）。';
    await send(errs, async () => {
      await feedbackApi.appeal(r.ratingId, { kind: kind as AppealKind, reason: reason.trim() });
    });
  };
  return (
    <details className="fb-appeal no-print">
      <summary>提出申诉（误评 / 恶意差评）</summary>
      <FormBox label="提出申诉" onSubmit={submit} busy={busy} submit="提出申诉">
        <Choice
          errId={`${fid}-kind-err`}
          name={`${fid}-kind`}
          legend="申诉类型"
          options={APPEAL_KIND_OPTIONS}
          value={kind}
          onChange={setKind}
          error={errors.kind}
        />
        <TextArea
          id={`${fid}-reason`}
          label="申诉理由"
          value={reason}
          onChange={setReason}
          error={errors.reason}
          help="例如：回访时申请人确认误点；评价内容与本办件无关。"
        />
      </FormBox>
    </details>
  );
}

const OUTCOME_OPTIONS = [
  ['upheld', '申诉成立（评价保留，不计入满意度）'],
  ['rejected', '申诉不成立'],
] as const;

function DecisionForm({ appealId, onDone, onFail }: { appealId: number; onDone: () => void; onFail: (t: string) => void }) {
  const fid = useId();
  const [outcome, setOutcome] = useState<'upheld' | 'rejected' | ''>('');
  const [note, setNote] = useState('');
  const { errors, busy, send } = useSend({ onDone, onFail });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!outcome) errs.outcome = '请选择裁决结果。';
    if (note.trim().length < 2) errs.note = '请填写裁决意见。';
    await send(errs, async () => {
      await feedbackApi.decide(appealId, { outcome: outcome as 'upheld' | 'rejected', note: note.trim() });
    });
  };
  return (
    <FormBox label="裁决申诉" onSubmit={submit} busy={busy} submit="提交裁决">
      <h3>裁决</h3>
      <Choice
        errId={`${fid}-o-err`}
        name={`${fid}-o`}
        legend="裁决结果"
        options={OUTCOME_OPTIONS}
        value={outcome}
        onChange={setOutcome}
        error={errors.outcome}
      />
      <TextArea id={`${fid}-note`} label="裁决意见" value={note} onChange={setNote} error={errors.note} />
    </FormBox>
  );
}
