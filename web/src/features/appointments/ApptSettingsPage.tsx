/**
 * 预约设置 (/staff/appointments, agency admins): the agency's booking rules; per office the
 * opening hours, the slot template of each business type and the closed days. Holidays and 调休
 * come from the working calendar (link), not from here. Values the seeds do not state show 示例
 * until an admin changes them.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { asApiError, fieldProblems, type FieldProblem, type UserOut } from '../../lib/api.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { apptApi, dayLabel, weekdayOf, type AdminConfigOut, type ApptSettings } from './api.ts';
import './appointments.css';

type Office = AdminConfigOut['offices'][number];

const SETTING_FIELDS: { key: keyof ApptSettings; label: string; unit: string; min: number; max: number }[] = [
  { key: 'leadWorkingDays', label: '至少提前', unit: '个工作日', min: 0, max: 30 },
  { key: 'horizonWorkingDays', label: '最远可约', unit: '个工作日', min: 1, max: 120 },
  { key: 'maxOpenBookings', label: '每人未办理预约上限', unit: '个', min: 1, max: 50 },
  { key: 'noShowLimit', label: '爽约次数', unit: '次', min: 1, max: 50 },
  { key: 'noShowWindowDays', label: '爽约统计期', unit: '天', min: 1, max: 3650 },
  { key: 'noShowBanDays', label: '暂停预约', unit: '天', min: 0, max: 3650 },
];

export function ApptSettingsPage() {
  return (
    <RequireLogin staff>
      {(me) =>
        me.roles.includes('agency_admin') ? (
          <Settings me={me} />
        ) : (
          <div className="error-box" role="alert">
            <p>预约设置仅供机构管理员使用。</p>
            <p>
              <Link href="/staff/hall">前往大厅签到</Link>
            </p>
          </div>
        )
      }
    </RequireLogin>
  );
}

function Settings({ me }: { me: UserOut }) {
  const { data: cfg, error, reload: load } = useLoad(() => apptApi.config(), []);
  useEffect(() => {
    document.title = '预约设置 · 工作台';
  }, []);
  if (error && !cfg) return <ErrorBox message={error.message} retry={() => void load()} />;
  if (!cfg) return <Loading />;
  return (
    <section className="staff appt-admin">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: '预约设置' }]} />
      <div className="page-head">
        <h1>预约设置</h1>
        <p className="muted small">
          {me.name} · 法定节假日和调休上班日按<Link href="/staff/calendar">工作日历</Link>执行；这里设置预约规则、各大厅办公时间、号源和闭厅日。
        </p>
      </div>
      <RulesForm cfg={cfg} onSaved={load} />
      <h2>办事大厅</h2>
      {cfg.offices.map((o) => (
        <OfficeEditor key={o.id} office={o} cfg={cfg} onSaved={load} />
      ))}
    </section>
  );
}

function RulesForm({ cfg, onSaved }: { cfg: AdminConfigOut; onSaved: () => Promise<unknown> }) {
  const [vals, setVals] = useState<Record<string, string>>(() => Object.fromEntries(SETTING_FIELDS.map((f) => [f.key, String(cfg.settings[f.key])])));
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const bad: Record<string, string> = {};
    const body = {} as ApptSettings;
    for (const f of SETTING_FIELDS) {
      const n = Number(vals[f.key]);
      if (!/^\d+$/.test(vals[f.key]!.trim()) || n < f.min || n > f.max) bad[f.key] = `请填写 ${f.min}–${f.max} 的整数`;
      body[f.key] = n;
    }
    setErrs(bad);
    if (Object.keys(bad).length) {
      setMsg({ kind: 'error', text: '请按提示修改标红的项目。' });
      return;
    }
    setBusy(true);
    try {
      await apptApi.putSettings(body);
      setMsg({ kind: 'ok', text: '预约规则已保存，立即生效。' });
      await onSaved();
    } catch (err) {
      setMsg({ kind: 'error', text: asApiError(err).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel" onSubmit={(e) => void save(e)} noValidate aria-labelledby="rules-h">
      <h2 id="rules-h">预约规则</h2>
      {cfg.settings.source && <p className="small muted">依据：“{cfg.settings.source}”</p>}
      <div className="num-grid">
        {SETTING_FIELDS.map((f) => (
          <div key={f.key} className={`field${errs[f.key] ? ' has-error' : ''}`}>
            <label htmlFor={`rule-${f.key}`}>
              {f.label}（{f.unit}）{cfg.settings.example.includes(f.key) && <span className="tag example">示例</span>}
            </label>
            <input
              id={`rule-${f.key}`}
              type="number"
              inputMode="numeric"
              min={f.min}
              max={f.max}
              value={vals[f.key]}
              onChange={(e) => setVals((v) => ({ ...v, [f.key]: e.target.value }))}
              aria-invalid={errs[f.key] ? true : undefined}
              aria-describedby={errs[f.key] ? `rule-${f.key}-err` : undefined}
            />
            {errs[f.key] && (
              <p className="field-error" id={`rule-${f.key}-err`}>
                {errs[f.key]}
              </p>
            )}
          </div>
        ))}
      </div>
      <p className="help">
        含义：须至少提前 {vals.leadWorkingDays} 个工作日预约；{vals.noShowWindowDays} 天内爽约 {vals.noShowLimit} 次，暂停预约 {vals.noShowBanDays}{' '}
        天。
      </p>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <button type="submit" className="btn" disabled={busy}>
        {busy ? '正在保存…' : '保存规则'}
      </button>
    </form>
  );
}

interface ServiceRow {
  business: string;
  name: string;
  active: boolean;
  slotMinutes: string;
  capacity: string;
}

function OfficeEditor({ office, cfg, onSaved }: { office: Office; cfg: AdminConfigOut; onSaved: () => Promise<unknown> }) {
  const uid = useId();
  const [enabled, setEnabled] = useState(office.enabled);
  const [hours, setHours] = useState(() => (office.hours.length ? office.hours : [{ from: '08:30', to: '11:30' }]).map((h) => ({ ...h })));
  const [rows, setRows] = useState<ServiceRow[]>(() =>
    cfg.businessTypes.map((b) => {
      const s = office.services.find((x) => x.business === b.code);
      return { business: b.code, name: b.name, active: Boolean(s), slotMinutes: String(s?.slotMinutes ?? 30), capacity: String(s?.capacity ?? 2) };
    }),
  );
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [closeDate, setCloseDate] = useState('');
  const [closeReason, setCloseReason] = useState('');
  const [closeErr, setCloseErr] = useState<{ date?: string; reason?: string }>({});
  const [confirmClose, setConfirmClose] = useState(false);

  const err = (path: string) => problems.find((p) => p.field === path)?.message;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const local: FieldProblem[] = [];
    hours.forEach((h, i) => {
      if (!h.from) local.push({ field: `hours.${i}.from`, message: '请填写开始时间' });
      if (!h.to) local.push({ field: `hours.${i}.to`, message: '请填写结束时间' });
      if (h.from && h.to && h.from >= h.to) local.push({ field: `hours.${i}.to`, message: '结束时间应晚于开始时间' });
    });
    rows.forEach((r, i) => {
      if (!r.active) return;
      if (!/^\d+$/.test(r.slotMinutes) || Number(r.slotMinutes) < 5 || Number(r.slotMinutes) > 480)
        local.push({ field: `services.${i}.slotMinutes`, message: '5–480 分钟' });
      if (!/^\d+$/.test(r.capacity) || Number(r.capacity) > 500) local.push({ field: `services.${i}.capacity`, message: '0–500 个' });
    });
    setProblems(local);
    if (local.length) {
      setMsg({ kind: 'error', text: `有 ${local.length} 处需要修改（已标红）。` });
      return;
    }
    setBusy(true);
    try {
      // Business types switched off stay in the table as inactive (their bookings are kept).
      const known = new Set(office.services.map((s) => s.business));
      const services = rows
        .filter((r) => r.active || known.has(r.business))
        .map((r) => ({ business: r.business, active: r.active, slotMinutes: Number(r.slotMinutes), capacity: Number(r.capacity) }));
      await apptApi.putOffice(office.id, { enabled, hours: hours.map((h) => ({ from: h.from, to: h.to })), services });
      setMsg({ kind: 'ok', text: `${office.name}的设置已保存。已有的预约不受影响。` });
      await onSaved();
    } catch (e2) {
      // Server paths are relative to the body: services.N refers to the sent list, not the table rows.
      setProblems(fieldProblems(e2).filter((p) => p.field.startsWith('hours.')));
      setMsg({ kind: 'error', text: asApiError(e2).message });
    } finally {
      setBusy(false);
    }
  };

  const askClose = (e: FormEvent) => {
    e.preventDefault();
    const bad: { date?: string; reason?: string } = {};
    if (!closeDate) bad.date = '请选择日期';
    else if (closeDate < cfg.today) bad.date = '不能关闭已过去的日期';
    if (!closeReason.trim()) bad.reason = '请填写闭厅原因（会告知已预约的人）';
    setCloseErr(bad);
    if (!Object.keys(bad).length) setConfirmClose(true);
  };
  const doClose = async () => {
    setBusy(true);
    try {
      const r = await apptApi.closeDay(office.id, closeDate, closeReason.trim());
      setMsg({
        kind: 'ok',
        text: `${r.date} 已设为闭厅日${r.cancelled ? `，取消了 ${r.cancelled} 个预约并已短信和站内消息通知本人` : '（当日没有预约）'}。`,
      });
      setCloseDate('');
      setCloseReason('');
      await onSaved();
    } catch (e2) {
      setMsg({ kind: 'error', text: asApiError(e2).message });
    } finally {
      setBusy(false);
      setConfirmClose(false);
    }
  };
  const reopen = async (date: string) => {
    setBusy(true);
    try {
      await apptApi.reopenDay(office.id, date);
      setMsg({ kind: 'ok', text: `${date} 已恢复开放预约。` });
      await onSaved();
    } catch (e2) {
      setMsg({ kind: 'error', text: asApiError(e2).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="panel">
      <summary>
        {office.name}{' '}
        <span className={`tag${office.configured && office.enabled ? ' ok' : ''}`}>
          {office.configured ? (office.enabled ? '开放预约' : '已停用') : '未开通'}
        </span>
        {office.closedDays.length > 0 && <span className="tag warn">闭厅 {office.closedDays.length} 天</span>}
      </summary>
      <form onSubmit={(e) => void save(e)} noValidate aria-label={`${office.name}的办公时间和号源`}>
        <label className="opt">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> 开放网上预约
        </label>
        <fieldset className="appt-choice">
          <legend>办公时间（每个工作日，含调休上班日）{office.hoursExample && <span className="tag example">示例</span>}</legend>
          {hours.map((h, i) => (
            <div key={i} className="period-row">
              <label htmlFor={`${uid}-h${i}-from`} className="sr-only">
                第{i + 1}段开始
              </label>
              <input
                id={`${uid}-h${i}-from`}
                type="time"
                value={h.from}
                aria-invalid={err(`hours.${i}.from`) ? true : undefined}
                onChange={(e) => setHours((l) => l.map((x, j) => (j === i ? { ...x, from: e.target.value } : x)))}
              />
              <span aria-hidden="true">至</span>
              <label htmlFor={`${uid}-h${i}-to`} className="sr-only">
                第{i + 1}段结束
              </label>
              <input
                id={`${uid}-h${i}-to`}
                type="time"
                value={h.to}
                aria-invalid={err(`hours.${i}.to`) ? true : undefined}
                aria-describedby={err(`hours.${i}.to`) || err(`hours.${i}.from`) ? `${uid}-h${i}-err` : undefined}
                onChange={(e) => setHours((l) => l.map((x, j) => (j === i ? { ...x, to: e.target.value } : x)))}
              />
              {hours.length > 1 && (
                <button type="button" className="btn small secondary" onClick={() => setHours((l) => l.filter((_, j) => j !== i))}>
                  删除此段
                </button>
              )}
              {(err(`hours.${i}.to`) || err(`hours.${i}.from`)) && (
                <p className="field-error" id={`${uid}-h${i}-err`}>
                  {err(`hours.${i}.from`) ?? err(`hours.${i}.to`)}
                </p>
              )}
            </div>
          ))}
          {hours.length < 6 && (
            <button type="button" className="btn small secondary" onClick={() => setHours((l) => [...l, { from: '13:00', to: '16:30' }])}>
              增加时段
            </button>
          )}
        </fieldset>
        <fieldset className="appt-choice">
          <legend>各业务的号源（每个时段的长度和号数）</legend>
          <ul className="svc-list">
            {rows.map((r, i) => {
              const example = office.services.find((x) => x.business === r.business)?.example ?? false;
              const mErr = err(`services.${i}.slotMinutes`);
              const cErr = err(`services.${i}.capacity`);
              return (
                <li key={r.business}>
                  <label className="opt svc-name">
                    <input
                      type="checkbox"
                      checked={r.active}
                      onChange={(e) => setRows((l) => l.map((x, j) => (j === i ? { ...x, active: e.target.checked } : x)))}
                    />
                    {r.name}
                    {example && <span className="tag example">示例</span>}
                  </label>
                  <label className="svc-num">
                    每段
                    <input
                      type="number"
                      inputMode="numeric"
                      min={5}
                      max={480}
                      value={r.slotMinutes}
                      disabled={!r.active}
                      aria-label={`时段长度（分钟）：${r.name}`}
                      aria-invalid={mErr ? true : undefined}
                      onChange={(e) => setRows((l) => l.map((x, j) => (j === i ? { ...x, slotMinutes: e.target.value } : x)))}
                    />
                    分钟
                  </label>
                  <label className="svc-num">
                    每段
                    <input
                      type="number"
                      inputMode="numeric"
                      min={0}
                      max={500}
                      value={r.capacity}
                      disabled={!r.active}
                      aria-label={`每时段号数：${r.name}`}
                      aria-invalid={cErr ? true : undefined}
                      onChange={(e) => setRows((l) => l.map((x, j) => (j === i ? { ...x, capacity: e.target.value } : x)))}
                    />
                    个号
                  </label>
                  {(mErr || cErr) && (
                    <p className="field-error">{[mErr && `时段长度应为 ${mErr}`, cErr && `号数应为 ${cErr}`].filter(Boolean).join('；')}</p>
                  )}
                </li>
              );
            })}
          </ul>
        </fieldset>
        <p className="help">调小号数时，已预约的人数保留；改动只影响之后的新预约。</p>
        <button type="submit" className="btn" disabled={busy}>
          保存{office.name}的设置
        </button>
      </form>

      {office.configured && (
        <>
          <h3>闭厅日</h3>
          {office.closedDays.length === 0 ? (
            <p className="muted small">没有设置闭厅日。</p>
          ) : (
            <ul className="closed-list">
              {office.closedDays.map((d) => (
                <li key={d.date}>
                  <strong>{dayLabel(d.date, weekdayOf(d.date))}</strong> {d.reason}
                  <button type="button" className="btn small secondary" disabled={busy} onClick={() => void reopen(d.date)}>
                    恢复开放
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form className="inline-form" onSubmit={askClose} noValidate aria-label={`${office.name}设置闭厅日`}>
            <div className={`field${closeErr.date ? ' has-error' : ''}`}>
              <label htmlFor={`${uid}-cd`}>闭厅日期</label>
              <input
                id={`${uid}-cd`}
                type="date"
                min={cfg.today}
                value={closeDate}
                onChange={(e) => setCloseDate(e.target.value)}
                aria-invalid={closeErr.date ? true : undefined}
                aria-describedby={closeErr.date ? `${uid}-cd-err` : undefined}
              />
              {closeErr.date && (
                <p className="field-error" id={`${uid}-cd-err`}>
                  {closeErr.date}
                </p>
              )}
            </div>
            <div className={`field${closeErr.reason ? ' has-error' : ''}`}>
              <label htmlFor={`${uid}-cr`}>原因</label>
              <input
                id={`${uid}-cr`}
                type="text"
                maxLength={100}
                value={closeReason}
                placeholder="如：系统升级、线路改造"
                onChange={(e) => setCloseReason(e.target.value)}
                aria-invalid={closeErr.reason ? true : undefined}
                aria-describedby={closeErr.reason ? `${uid}-cr-err` : undefined}
              />
              {closeErr.reason && (
                <p className="field-error" id={`${uid}-cr-err`}>
                  {closeErr.reason}
                </p>
              )}
            </div>
            <button type="submit" className="btn secondary" disabled={busy}>
              设为闭厅日
            </button>
          </form>
        </>
      )}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <Dialog
        open={confirmClose}
        title={`${office.name} ${closeDate} 闭厅？`}
        confirmLabel="确认闭厅"
        danger
        busy={busy}
        onConfirm={() => void doClose()}
        onClose={() => setConfirmClose(false)}
      >
        <p>当日已有的预约将全部取消，并以短信和站内消息告知本人（原因：{closeReason.trim()}）。</p>
      </Dialog>
    </details>
  );
}
