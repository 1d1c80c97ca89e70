/** The emergency admin page's status panel: switched on (with the switch-off) or off (with the switch-on form). */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { asApiError } from '../../lib/api.ts';
import { fmtDateTime, todayChina } from '../../lib/format.ts';
import { Field, describedBy } from '../../components/Form.tsx';
import { Dialog, ReasonDialog } from '../../components/Dialog.tsx';
import { MEASURE_KIND_LABELS } from '../../../../common/emergency-kinds.ts';
import type { EmergencyMeasure } from '../../../../common/emergency.ts';
import { emergencyApi } from './api.ts';
import { problems, type Data, type Msg } from './admin-emergency-parts.ts';

// ---------------------------------------------------------------------------------------------
// Status: on (with the switch-off) or off (with the switch-on form)

export function StatusPanel({ data, onDone }: { data: Data; onDone: (m: Msg) => void }) {
  const [offOpen, setOffOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [offErr, setOffErr] = useState('');
  const cur = data.current;
  const grace = data.regimes.find((r) => r.doc.code === cur?.regimeCode)?.doc.measures.find((m) => m.kind === 'contribution_grace');
  const off = async (note: string) => {
    setBusy(true);
    setOffErr('');
    try {
      const r = await emergencyApi.off(note);
      setOffOpen(false);
      onDone({ kind: 'ok', text: `已关闭应急模式（${r.period.title}），自 ${r.period.offOn} 起各项措施停止；已延长的有效期保持不变。` });
    } catch (e) {
      setOffErr(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="em-status-h">
      <h2 id="em-status-h">当前状态</h2>
      {cur ? (
        <>
          <p className="status-line" data-testid="emergency-status">
            <span className="tag em">{cur.statusLabel}</span>
            <strong>{cur.title}</strong>
            <span className="muted">（第 {cur.version} 版）</span>
          </p>
          <dl className="kv">
            <dt>开始日期</dt>
            <dd>{cur.startDate}</dd>
            <dt>结束日期</dt>
            <dd>{cur.endDate ?? '未定（关闭时结束）'}</dd>
            <dt>启用</dt>
            <dd>
              {cur.onBy}，{fmtDateTime(cur.onAt)}
            </dd>
            {cur.note && (
              <>
                <dt>说明</dt>
                <dd>{cur.note}</dd>
              </>
            )}
          </dl>
          {data.can.manage && (
            <p>
              <button type="button" className="btn danger" onClick={() => setOffOpen(true)}>
                关闭应急模式
              </button>
            </p>
          )}
          <ReasonDialog
            open={offOpen}
            title="关闭应急模式"
            label="关闭原因"
            busy={busy}
            error={offErr}
            onClose={() => setOffOpen(false)}
            onSubmit={(t) => void off(t)}
            intro={
              <div className="small">
                <p>关闭后立即停止：网站公告、不见面渠道提示、暂缓办理、先自动通过和预约办理。</p>
                <p>
                  <strong>已自动延长的有效期保持不变</strong>（见“已延长的有效期”）；已自动通过的办件仍在事后审核队列中。
                  {grace && grace.kind === 'contribution_grace' && `欠费补缴宽限期自今天起计算 ${grace.graceMonths} 个月。`}
                </p>
              </div>
            }
          />
        </>
      ) : (
        <>
          <p className="status-line" data-testid="emergency-status">
            <span className="tag">未启用</span>本机构当前没有生效中的应急状态。
          </p>
          {data.can.manage ? <SwitchOnForm data={data} onDone={onDone} /> : <p className="muted">只有机构管理员可以启用应急模式。</p>}
        </>
      )}
    </section>
  );
}

function SwitchOnForm({ data, onDone }: { data: Data; onDone: (m: Msg) => void }) {
  const id = useId();
  const [code, setCode] = useState(data.regimes[0]?.doc.code ?? '');
  const [start, setStart] = useState(todayChina());
  const [end, setEnd] = useState('');
  const [note, setNote] = useState('');
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  // The server's details say the regime's measures need revising (path 'measures').
  const [measuresToFix, setMeasuresToFix] = useState(false);
  const [fieldErr, setFieldErr] = useState<Record<string, string>>({});
  const regime = data.regimes.find((r) => r.doc.code === code);
  // A revision may have fixed what the last attempt complained about.
  const version = regime?.version;
  useEffect(() => setErr(''), [version]);
  if (!regime) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fe: Record<string, string> = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) fe.startDate = '请选择开始日期。';
    if (end && end < start) fe.endDate = '结束日期不能早于开始日期。';
    setFieldErr(fe);
    if (Object.keys(fe).length === 0) setConfirm(true);
  };
  const go = async () => {
    setBusy(true);
    setErr('');
    setMeasuresToFix(false);
    try {
      const r = await emergencyApi.on({
        regimeCode: code,
        startDate: start,
        ...(end ? { endDate: end } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setConfirm(false);
      onDone({
        kind: 'ok',
        text: `已启用应急模式（${r.period.title}，第 ${r.period.version} 版），${r.period.status === 'scheduled' ? `将于 ${r.period.startDate} 生效` : '即时生效'}${r.extended ? `；已自动延长 ${r.extended} 项有效期` : ''}。`,
      });
    } catch (e) {
      setConfirm(false);
      const fe: Record<string, string> = {};
      for (const p of problems(e)) if (p.path === 'startDate' || p.path === 'endDate') fe[p.path] = p.message;
      setFieldErr(fe);
      setMeasuresToFix(problems(e).some((p) => p.path === 'measures'));
      setErr(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  const counts = regime.doc.measures.reduce<Record<string, number>>((o, m) => ({ ...o, [m.kind]: (o[m.kind] ?? 0) + 1 }), {});
  return (
    <>
      <form className="em-on" onSubmit={submit} aria-label="启用应急模式" noValidate>
        {err && (
          <div className="notice error" role="alert">
            <p>{err}</p>
            {measuresToFix && <p className="small">请先在下方“修订措施”中修改后再启用。</p>}
          </div>
        )}
        {data.regimes.length > 1 ? (
          <Field id={`${id}-regime`} label="应急预案" required>
            <select id={`${id}-regime`} value={code} onChange={(e) => setCode(e.target.value)}>
              {data.regimes.map((r) => (
                <option key={r.doc.code} value={r.doc.code}>
                  {r.doc.title}（第 {r.version} 版）
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <p>
            应急预案：<strong>{regime.doc.title}</strong>（第 {regime.version} 版）
          </p>
        )}
        <Field
          id={`${id}-start`}
          label="开始日期"
          required
          error={fieldErr.startDate}
          help="可以是今天、以后的日期，或一年内已经开始的日期（影响有效期延长和欠费宽限的起算）。"
        >
          <input
            id={`${id}-start`}
            type="date"
            value={start}
            required
            onChange={(e) => setStart(e.target.value)}
            aria-invalid={fieldErr.startDate ? true : undefined}
            aria-describedby={describedBy(`${id}-start`, true, fieldErr.startDate)}
          />
        </Field>
        <Field id={`${id}-end`} label="结束日期" error={fieldErr.endDate} help="不填则一直实行，直到关闭。">
          <input
            id={`${id}-end`}
            type="date"
            value={end}
            min={start}
            onChange={(e) => setEnd(e.target.value)}
            aria-invalid={fieldErr.endDate ? true : undefined}
            aria-describedby={describedBy(`${id}-end`, true, fieldErr.endDate)}
          />
        </Field>
        <Field id={`${id}-note`} label="说明">
          <textarea id={`${id}-note`} rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        </Field>
        <button type="submit" className="btn primary">
          启用应急模式
        </button>
      </form>
      <Dialog
        open={confirm}
        title="确认启用应急模式"
        confirmLabel="确认启用"
        busy={busy}
        onClose={() => setConfirm(false)}
        onConfirm={() => void go()}
      >
        <p>
          自 <strong>{start}</strong> 起{end ? `至 ${end}` : ''}实行“{regime.doc.title}”：
        </p>
        <ul className="small">
          <li>本机构网站每一页显示公告“{regime.doc.notice.title}”；</li>
          {Object.entries(counts).map(([k, n]) => (
            <li key={k}>
              {MEASURE_KIND_LABELS[k as EmergencyMeasure['kind']]} {n} 项
            </li>
          ))}
          {counts.extend_validity && <li>开始日期之后到期的有效期立即自动延长，关闭后保持不变。</li>}
        </ul>
      </Dialog>
    </>
  );
}
