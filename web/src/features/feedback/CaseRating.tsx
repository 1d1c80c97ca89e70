/**
 * 好差评 on the applicant's case page (once the case is 办结) and on the person's appointment page
 * (once the visit is checked in): the five-level form, then the rating given and, for a 差评, how
 * the agency followed it up (回访 and 整改结果).
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { asApiError, fieldProblems } from '../../lib/api.ts';
import { Link } from '../../lib/router.tsx';
import { fmtDate, fmtDateTime } from '../../lib/format.ts';
import { Notice } from '../../components/Form.tsx';
import { isBadRating, isCompleted } from '../../../../common/feedback.ts';
import { feedbackApi, type CaseRatingOut } from './api.ts';
import './feedback.css';
import { DueDate } from '../../components/DateText.tsx';

type Subject = { kind: 'case' | 'visit'; id: number };
const DRAFT_KEY = (s: Subject) => (s.kind === 'case' ? `fb.rating.${s.id}` : `fb.rating.visit.${s.id}`);

export function CaseRating({ caseId, status, agencyCode }: { caseId: number; status: string; agencyCode: string }) {
  if (!isCompleted(status)) return null;
  return <RatingPanel subject={{ kind: 'case', id: caseId }} agencyCode={agencyCode} />;
}

/** A hall visit is rateable once the visitor was checked in (签到) or served. */
export function VisitRating({ appointmentId, status, agencyCode }: { appointmentId: number; status: string; agencyCode: string }) {
  if (status !== 'checked_in' && status !== 'served') return null;
  return <RatingPanel subject={{ kind: 'visit', id: appointmentId }} agencyCode={agencyCode} />;
}

function RatingPanel({ subject, agencyCode }: { subject: Subject; agencyCode: string }) {
  const caseId = subject.id;
  const [data, setData] = useState<CaseRatingOut | null>(null);
  const [loadErr, setLoadErr] = useState('');
  const [level, setLevel] = useState<number | null>(null);
  const [comment, setComment] = useState(() => sessionStorage.getItem(DRAFT_KEY(subject)) ?? '');
  const [errors, setErrors] = useState<{ level?: string; comment?: string }>({});
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fid = useId();

  const load = useCallback(async () => {
    try {
      setData(await (subject.kind === 'case' ? feedbackApi.caseRating(caseId) : feedbackApi.visitRating(caseId)));
      setLoadErr('');
    } catch (e) {
      setLoadErr(asApiError(e).message);
    }
  }, [caseId, subject.kind]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    const key = DRAFT_KEY({ kind: subject.kind, id: caseId });
    if (comment) sessionStorage.setItem(key, comment);
    else sessionStorage.removeItem(key);
  }, [caseId, subject.kind, comment]);

  const bad = level !== null && isBadRating(level);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof errors = {};
    if (level === null) errs.level = '请选择满意度。';
    if (bad && comment.trim().length < 5) errs.comment = '请写明不满意的原因（至少 5 个字），以便我们回访整改。';
    setErrors(errs);
    if (Object.keys(errs).length) {
      document.getElementById(errs.level ? `${fid}-level` : `${fid}-comment`)?.focus();
      return;
    }
    setBusy(true);
    setMsg(null);
    try {
      const body = { level: level!, comment: comment.trim() };
      const out = await (subject.kind === 'case' ? feedbackApi.rate(caseId, body) : feedbackApi.rateVisit(caseId, body));
      sessionStorage.removeItem(DRAFT_KEY(subject));
      setData(out);
      setMsg({
        kind: 'ok',
        text: out.rating?.bad ? '感谢您的评价。我们已收到您的意见，将安排专人回访并整改，结果会在这里告诉您。' : '感谢您的评价！',
      });
    } catch (err) {
      const ae = asApiError(err);
      const fp = fieldProblems(ae).find((p) => p.field === 'comment');
      if (fp) setErrors({ comment: fp.message });
      setMsg({ kind: 'error', text: ae.message });
      if (ae.code === 'ALREADY_RATED') void load();
    } finally {
      setBusy(false);
    }
  };

  if (loadErr)
    return (
      <section className="panel" aria-labelledby={`${fid}-h`}>
        <h2 id={`${fid}-h`}>服务评价</h2>
        <Notice kind="error">{loadErr}</Notice>
      </section>
    );
  if (!data) return null;
  const r = data.rating;
  return (
    <section className="panel fb-rating" aria-labelledby={`${fid}-h`}>
      <h2 id={`${fid}-h`}>服务评价（好差评）</h2>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {r ? (
        <RatingGiven r={r} />
      ) : data.canRate ? (
        <form onSubmit={submit} noValidate aria-label="评价本次服务">
          <p className="muted">
            {subject.kind === 'case'
              ? '办件已办结。请对本次服务作出评价，每个办件只能评价一次。'
              : '您已到厅办理。请对本次到厅服务作出评价，每次预约只能评价一次。'}
          </p>
          <fieldset
            className={`fb-levels${errors.level ? ' has-error' : ''}`}
            id={`${fid}-level`}
            tabIndex={-1}
            aria-describedby={errors.level ? `${fid}-level-err` : undefined}
          >
            <legend>
              满意度
              <span className="req" aria-hidden="true">
                *
              </span>
            </legend>
            {data.levels.map((l) => (
              <label key={l.level} className={`fb-level lv${l.level}`}>
                <input
                  type="radio"
                  name={`${fid}-lv`}
                  value={l.level}
                  checked={level === l.level}
                  onChange={() => {
                    setLevel(l.level);
                    setErrors((e) => ({ ...e, level: undefined }));
                  }}
                />
                <span>{l.label}</span>
              </label>
            ))}
            {errors.level && (
              <p className="field-error" id={`${fid}-level-err`}>
                {errors.level}
              </p>
            )}
          </fieldset>
          <div className={`field${errors.comment ? ' has-error' : ''}`}>
            <label htmlFor={`${fid}-comment`}>
              评价内容
              {bad ? (
                <span className="req" aria-hidden="true">
                  *
                </span>
              ) : (
                <span className="opt-tag">（选填）</span>
              )}
            </label>
            <textarea
              id={`${fid}-comment`}
              rows={3}
              maxLength={500}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              aria-invalid={errors.comment ? true : undefined}
              aria-describedby={`${fid}-comment-help${errors.comment ? ` ${fid}-comment-err` : ''}`}
            />
            <p className="help" id={`${fid}-comment-help`}>
              {bad ? '选择“不满意”或“非常不满意”时请写明原因，我们会回访并整改。' : '可写下您的建议，最多 500 字。'}
            </p>
            {errors.comment && (
              <p className="field-error" id={`${fid}-comment-err`}>
                {errors.comment}
              </p>
            )}
          </div>
          <div className="actions-row">
            <button type="submit" className="btn primary" disabled={busy}>
              {busy ? '正在提交…' : '提交评价'}
            </button>
          </div>
        </form>
      ) : (
        <p className="muted">{data.reason}</p>
      )}
      <p className="fb-complain-link no-print">
        对办理过程有意见？
        <Link href={`/me/complaints/new?agency=${encodeURIComponent(agencyCode)}${subject.kind === 'case' ? `&case=${caseId}` : ''}`}>我要投诉</Link>
      </p>
    </section>
  );
}

function RatingGiven({ r }: { r: NonNullable<CaseRatingOut['rating']> }) {
  const rect = r.rectification;
  return (
    <>
      <dl className="kv fb-kv">
        <dt>您的评价</dt>
        <dd>
          <span className={`fb-badge lv${r.level}`}>{r.levelLabel}</span>（{fmtDate(r.createdAt)}）
        </dd>
        {r.comment && (
          <>
            <dt>评价内容</dt>
            <dd>{r.comment}</dd>
          </>
        )}
      </dl>
      {rect && (
        <div className="fb-outcome" role="group" aria-label="差评整改情况">
          <h3>整改情况：{rect.statusLabel}</h3>
          {rect.status === 'open' && (
            <p>
              我们已收到您的意见，将
              {rect.dueDate ? (
                <>
                  于 <DueDate date={rect.dueDate} provisional={rect.dueProvisional} /> 前
                </>
              ) : (
                '尽快'
              )}
              回访您并整改。
            </p>
          )}
          <dl className="kv fb-kv">
            {rect.callbackAt && (
              <>
                <dt>回访</dt>
                <dd>
                  {fmtDateTime(rect.callbackAt)} {rect.callbackChannelLabel}
                </dd>
                {rect.callbackNote && (
                  <>
                    <dt>回访记录</dt>
                    <dd>{rect.callbackNote}</dd>
                  </>
                )}
              </>
            )}
            {rect.result && (
              <>
                <dt>整改结果</dt>
                <dd>{rect.result}</dd>
                <dt>办结时间</dt>
                <dd>{fmtDateTime(rect.closedAt)}</dd>
              </>
            )}
          </dl>
          {r.excluded && <p className="muted small">经核实，本次评价不计入满意度统计，评价仍保留在记录中。</p>}
        </div>
      )}
    </>
  );
}
