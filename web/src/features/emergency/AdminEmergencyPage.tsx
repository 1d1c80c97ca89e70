/**
 * 应急模式 (/admin/emergency): the agency's emergency regime — its measures as data, cited from the
 * agency's own notice — switched on for a period and off again by the agency admin; revisions are
 * saved as new versions. Supervisors see the page read-only. Every change is audited on the server.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { asApiError, type UserOut } from '../../lib/api.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { fmtDateTime, todayChina, CHANNEL_LABELS } from '../../lib/format.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Field, Notice, describedBy } from '../../components/Form.tsx';
import { Dialog, ReasonDialog } from '../../components/Dialog.tsx';
import { CHANNEL_KIND_LABELS, MEASURE_KIND_LABELS, VALIDITY_TARGET_LABELS, type ChannelKind } from '../../../../common/emergency-kinds.ts';
import type { EmergencyMeasure } from '../../../../common/emergency.ts';
import { CASE_CHANNELS, type CaseChannel } from '../../../../common/case-channels.ts';
import { announceChange, emergencyApi, type AdminEmergencyOut, type RegimeDoc } from './api.ts';
import './emergency.css';

type Data = AdminEmergencyOut;
type Regime = Data['regimes'][number];
type Msg = { kind: 'ok' | 'error' | 'info'; text: string } | null;
type Named = { code: string; name: string };

const ENROLMENT_LABELS: Record<string, string> = { employee: '职工医保', resident: '城乡居民医保', maternity: '生育保险' };
const EDITABLE_CHANNELS: ChannelKind[] = ['online', 'mobile', 'email', 'fax', 'post', 'phone', 'window', 'agent', 'self_service'];

/** The error's details as { path, message } (the server gives `path` as a dotted string, zod errors too). */
function problems(e: unknown): { path: string; message: string }[] {
  const d = asApiError(e).details;
  if (!Array.isArray(d)) return [];
  return d.flatMap((x) => {
    if (!x || typeof x !== 'object') return [];
    const o = x as Record<string, unknown>;
    const path = typeof o.field === 'string' ? o.field : typeof o.path === 'string' ? o.path : Array.isArray(o.path) ? o.path.join('.') : '';
    return typeof o.message === 'string' ? [{ path, message: o.message }] : [];
  });
}

export function AdminEmergencyPage() {
  return <RequireLogin staff>{(me) => <Admin me={me} />}</RequireLogin>;
}

function Admin({ me }: { me: UserOut }) {
  const { data, error, reload: load } = useLoad(() => emergencyApi.admin(), []);
  const [msg, setMsg] = useState<Msg>(null);
  useEffect(() => {
    document.title = '应急模式 · 工作台';
  }, []);
  const done = (m: Msg) => {
    setMsg(m);
    announceChange();
    void load();
  };

  if (error && !data) return <ErrorBox message={error.message} retry={load} />;
  if (!data) return <Loading />;
  const manage = data.can.manage;
  return (
    <section className="em-admin staff">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: '应急模式' }]} />
      <h1>应急模式</h1>
      <p className="muted small">
        {me.name}（{manage ? '机构管理员' : '只读'}）· 今天 {data.today} ·{' '}
        <Link href={`/a/${data.agency}/rules#emergency`}>本机构网站上的应急措施</Link> · <Link href="/staff/post-audit">事后审核</Link>
      </p>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <StatusPanel data={data} onDone={done} />
      {data.regimes.map((r) => (
        <RegimePanel key={r.doc.code} regime={r} data={data} onDone={done} />
      ))}
      {data.regimes.length === 0 && <p className="muted">本机构还没有应急预案。</p>}
      <ExtensionsPanel data={data} />
      <HistoryPanel data={data} />
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Status: on (with the switch-off) or off (with the switch-on form)

function StatusPanel({ data, onDone }: { data: Data; onDone: (m: Msg) => void }) {
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

// ---------------------------------------------------------------------------------------------
// The regime document: shown measure by measure, and edited into a new version

const namesOf = (list: Named[]) => new Map(list.map((x) => [x.code, x.name]));

function Chips({ codes, names, empty }: { codes: readonly string[]; names: Map<string, string>; empty: string }) {
  return (
    <ul className="chips">
      {codes.length === 0 && <li className="none">{empty}</li>}
      {codes.map((c) => (
        <li key={c}>
          {names.get(c) ?? c}（{c}）
        </li>
      ))}
    </ul>
  );
}

function MeasureCard({ m, data }: { m: EmergencyMeasure; data: Data }) {
  const items = namesOf(data.items);
  const offices = namesOf(data.offices);
  return (
    <article className="measure-card" aria-label={m.title}>
      <h4>
        <span className="tag em">{MEASURE_KIND_LABELS[m.kind]}</span> {m.title}
      </h4>
      <div className="params">
        {m.kind === 'contactless' && (
          <p>
            推荐渠道：{m.channels.map((c) => CHANNEL_KIND_LABELS[c as ChannelKind] ?? c).join('、')}。{m.wording}
          </p>
        )}
        {m.kind === 'deferred' && (
          <p>
            提示：{m.message}
            {m.exceptChannels.length > 0 && `（仍可：${m.exceptChannels.map((c) => CHANNEL_LABELS[c] ?? c).join('、')}）`}
          </p>
        )}
        {m.kind === 'auto_pass' && <p>{m.wording}</p>}
        {m.kind === 'extend_validity' && (
          <p>
            {VALIDITY_TARGET_LABELS[m.target]}：开始日期起至 <strong>{m.until}</strong> 前到期的，延长至 <strong>{m.until}</strong>。
          </p>
        )}
        {m.kind === 'contribution_grace' && (
          <p>
            {m.enrolmentTypes.map((t) => ENROLMENT_LABELS[t] ?? t).join('、')}：应急期间的欠费，结束后 <strong>{m.graceMonths}</strong>{' '}
            个月内补缴的视同连续缴费。
          </p>
        )}
        {m.kind === 'long_prescription' && (
          <p>
            处方最长 <strong>{m.maxMonths}</strong> 个月。{m.wording}
          </p>
        )}
        {m.kind === 'appointment_only' && (
          <>
            <p>
              须至少提前 {m.minWorkingDaysAhead} 个工作日预约。{m.wording}
            </p>
            {m.offices === 'all' ? (
              <p>适用：全部办事地点（{data.offices.length} 个）</p>
            ) : (
              <Chips codes={m.offices} names={offices} empty="（未指定办事地点）" />
            )}
          </>
        )}
        {m.kind === 'info' && m.wording && <p>{m.wording}</p>}
        {'items' in m && (m.kind !== 'info' || m.items.length > 0) && (
          <Chips codes={m.items} names={items} empty={m.kind === 'long_prescription' ? '（在规则页公布，不限事项）' : '（未指定事项）'} />
        )}
      </div>
      {m.note && <p className="muted small">说明：{m.note}</p>}
      <details className="em-source">
        <summary>原文</summary>
        <blockquote>{m.source.text}</blockquote>
        {m.source.ref && <p className="muted small">出处：{m.source.ref}</p>}
      </details>
    </article>
  );
}

function RegimePanel({ regime, data, onDone }: { regime: Regime; data: Data; onDone: (m: Msg) => void }) {
  const [editing, setEditing] = useState(false);
  const headRef = useRef<HTMLHeadingElement>(null);
  const doc = regime.doc;
  const hid = `em-regime-${doc.code}`;
  const latest = regime.versions[0];
  return (
    <section className="panel" aria-labelledby={hid}>
      <h2 id={hid} ref={headRef} tabIndex={-1}>
        应急预案：{doc.title}
      </h2>
      <p className="muted small">
        依据：{doc.source.issuer ? `${doc.source.issuer}《${doc.source.title}》` : `《${doc.source.title}》`}
        {doc.source.docNo ? `（${doc.source.docNo}）` : ''}
        {doc.source.issuedOn ? `，${doc.source.issuedOn}` : ''} · 第 {regime.version} 版
        {latest ? `（${latest.createdBy}，${fmtDateTime(latest.createdAt)}${latest.note ? `：${latest.note}` : ''}）` : ''}
      </p>
      {editing ? (
        <RegimeEditor
          regime={regime}
          data={data}
          onCancel={() => {
            setEditing(false);
            headRef.current?.focus();
          }}
          onSaved={(text) => {
            setEditing(false);
            onDone({ kind: 'ok', text });
          }}
        />
      ) : (
        <>
          <h3>公告</h3>
          <p>
            <strong>{doc.notice.title}</strong>：{doc.notice.text}
          </p>
          <h3>措施（{doc.measures.length} 项）</h3>
          {doc.measures.map((m) => (
            <MeasureCard key={m.id} m={m} data={data} />
          ))}
          {doc.notes.length > 0 && (
            <details>
              <summary>数据说明</summary>
              <ul className="small">
                {doc.notes.map((n, i) => (
                  <li key={i}>{n}</li>
                ))}
              </ul>
            </details>
          )}
          <details>
            <summary>版本记录（{regime.versions.length}）</summary>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">版本</th>
                    <th scope="col">来源</th>
                    <th scope="col">修订人与时间</th>
                    <th scope="col">说明</th>
                  </tr>
                </thead>
                <tbody>
                  {regime.versions.map((v) => (
                    <tr key={v.id}>
                      <td>第 {v.version} 版</td>
                      <td>{v.source === 'admin' ? '管理员修订' : v.source}</td>
                      <td>
                        {v.createdBy}，{fmtDateTime(v.createdAt)}
                      </td>
                      <td>{v.note}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
          {data.can.manage && (
            <p>
              <button type="button" className="btn secondary" onClick={() => setEditing(true)}>
                修订措施
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}

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

function RegimeEditor({ regime, data, onCancel, onSaved }: { regime: Regime; data: Data; onCancel: () => void; onSaved: (text: string) => void }) {
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

// ---------------------------------------------------------------------------------------------
// Extensions and history

function ExtensionsPanel({ data }: { data: Data }) {
  return (
    <section className="panel" aria-labelledby="em-ext-h">
      <h2 id="em-ext-h">已延长的有效期</h2>
      <p className="muted small">启用应急模式时自动延长，逐条记入参保信息库变更记录。关闭应急模式后，已延长的有效期保持不变。</p>
      {data.extensions.length === 0 ? (
        <p className="muted">暂无。</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">已延长的有效期</caption>
            <thead>
              <tr>
                <th scope="col">对象</th>
                <th scope="col">项目</th>
                <th scope="col">原有效期至</th>
                <th scope="col">延长至</th>
                <th scope="col">时间</th>
              </tr>
            </thead>
            <tbody>
              {data.extensions.map((x) => (
                <tr key={`${x.periodId}-${x.target}-${x.entityId}-${x.afterTo}`}>
                  <td>{x.label}</td>
                  <td>{VALIDITY_TARGET_LABELS[x.target]}</td>
                  <td className="nowrap">{x.beforeTo ?? '—'}</td>
                  <td className="nowrap">
                    <strong>{x.afterTo}</strong>
                  </td>
                  <td className="nowrap">{fmtDateTime(x.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function HistoryPanel({ data }: { data: Data }) {
  return (
    <section className="panel" aria-labelledby="em-hist-h">
      <h2 id="em-hist-h">启用记录</h2>
      {data.periods.length === 0 ? (
        <p className="muted">尚未启用过。</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">状态</th>
                <th scope="col">预案</th>
                <th scope="col">期间</th>
                <th scope="col">启用</th>
                <th scope="col">关闭</th>
              </tr>
            </thead>
            <tbody>
              {data.periods.map((p) => (
                <tr key={p.id}>
                  <td className="nowrap">{p.statusLabel}</td>
                  <td>
                    {p.title}（第 {p.version} 版）
                  </td>
                  <td className="nowrap">
                    {p.startDate} 至 {p.lastDay ?? '（未定）'}
                  </td>
                  <td>
                    {p.onBy}，{fmtDateTime(p.onAt)}
                    {p.note ? `：${p.note}` : ''}
                  </td>
                  <td>{p.offAt ? `${p.offBy}，${fmtDateTime(p.offAt)}：${p.offNote ?? ''}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
