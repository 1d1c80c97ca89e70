/**
 * 大厅签到 (/staff/hall): a code field that a QR scanner types into (it sends the code and Enter),
 * so the desk works from the keyboard alone — after each check-in the field is cleared and keeps
 * the focus for the next visitor. Below, the day's bookings of the office with 签到 / 办理完毕 /
 * 未到 buttons.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { asApiError, type UserOut } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { fmtTime } from '../../lib/format.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { APPOINTMENT_STATUS_LABELS } from '../../../../common/appointments.ts';
import { apptApi, dayLabel, weekdayOf, type HallDayOut } from './api.ts';
import { ApptStatus } from './parts.tsx';
import './appointments.css';

const OFFICE_KEY = 'hall.office';
const ACTION_LABELS = { check_in: '签到', serve: '办理完毕', no_show: '未到' } as const;

export function HallPage() {
  return <RequireLogin staff>{(me) => <Hall me={me} />}</RequireLogin>;
}

function Hall({ me }: { me: UserOut }) {
  const [office, setOffice] = useState<number | null>(() => Number(localStorage.getItem(OFFICE_KEY)) || null);
  const [date, setDate] = useState<string | null>(null);
  const [day, setDay] = useState<HallDayOut | null>(null);
  const [error, setError] = useState('');
  const [code, setCode] = useState('');
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string; id?: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = '大厅签到 · 工作台';
  }, []);

  const load = useCallback(async () => {
    try {
      setDay(await apptApi.hallDay(office, date));
      setError('');
    } catch (e) {
      const err = asApiError(e);
      // A remembered office of another agency: let the server choose.
      if (err.code === 'NOT_FOUND' && office) {
        localStorage.removeItem(OFFICE_KEY);
        setOffice(null);
        return;
      }
      setError(err.message);
    }
  }, [office, date]);
  useEffect(() => {
    void load();
  }, [load]);

  const checkIn = async (e: FormEvent) => {
    e.preventDefault();
    const c = code.trim();
    if (!c || !day) {
      setResult({ kind: 'error', text: '请输入或扫描预约码。' });
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const r = await apptApi.checkIn(c, day.office.id);
      setResult({ kind: 'ok', text: r.message, id: r.row.id });
      setCode('');
      await load();
    } catch (err) {
      setResult({ kind: 'error', text: asApiError(err).message });
      input.current?.select();
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  };

  const act = async (id: number, action: 'check_in' | 'serve' | 'no_show', rowCode: string) => {
    setBusy(true);
    try {
      const r =
        action === 'check_in'
          ? await apptApi.checkIn(rowCode, day!.office.id)
          : action === 'serve'
            ? await apptApi.serve(id)
            : await apptApi.noShow(id);
      setResult({ kind: 'ok', text: r.message, id });
      await load();
    } catch (err) {
      setResult({ kind: 'error', text: asApiError(err).message });
    } finally {
      setBusy(false);
    }
  };

  if (error && !day) return <ErrorBox message={error} retry={() => void load()} />;
  if (!day) return <Loading />;
  const isToday = day.date === day.today;
  const counts = Object.entries(day.counts);

  return (
    <section className="staff hall-desk">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: '大厅签到' }]} />
      <div className="page-head">
        <h1>大厅签到</h1>
        <p className="muted small">
          {me.name} · {day.office.name}
        </p>
      </div>

      <div className="hall-tools panel">
        <div className="field">
          <label htmlFor="hall-office">办事大厅</label>
          <select
            id="hall-office"
            value={day.office.id}
            onChange={(e) => {
              const id = Number(e.target.value);
              localStorage.setItem(OFFICE_KEY, String(id));
              setOffice(id);
              setResult(null);
            }}
          >
            {day.offices.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="hall-date">日期</label>
          <input id="hall-date" type="date" value={day.date} onChange={(e) => e.target.value && setDate(e.target.value)} />
        </div>
        {!isToday && (
          <button type="button" className="btn secondary" onClick={() => setDate(day.today)}>
            回到今天
          </button>
        )}
      </div>

      {isToday ? (
        <form className="hall-scan panel" onSubmit={(e) => void checkIn(e)} aria-label="凭预约码签到">
          <div className="field">
            <label htmlFor="hall-code">预约码</label>
            <input
              id="hall-code"
              ref={input}
              type="text"
              autoFocus
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              enterKeyHint="go"
              maxLength={60}
              value={code}
              placeholder="扫码或输入，如 K7M2-9QX4"
              onChange={(e) => setCode(e.target.value)}
              aria-describedby="hall-code-help"
            />
            <p className="help" id="hall-code-help">
              用扫码枪扫描预约二维码（自动回车），或手工输入8位预约码后按回车。
            </p>
          </div>
          <button type="submit" className="btn big" disabled={busy}>
            签到
          </button>
        </form>
      ) : (
        <p className="notice info">查看的是 {dayLabel(day.date, weekdayOf(day.date))} 的预约；只能为今天的预约签到。</p>
      )}
      <div role="status" aria-live="polite" className="hall-result">
        {result && (
          <div className={`notice ${result.kind}`} role={result.kind === 'error' ? 'alert' : undefined}>
            {result.text}
          </div>
        )}
      </div>

      <h2>
        {dayLabel(day.date, weekdayOf(day.date))}的预约 <span className="count">{day.rows.length}</span>
      </h2>
      {counts.length > 0 && (
        <ul className="hall-counts">
          {counts.map(([k, n]) => (
            <li key={k}>
              {APPOINTMENT_STATUS_LABELS[k as keyof typeof APPOINTMENT_STATUS_LABELS] ?? k}：<strong>{n}</strong>
            </li>
          ))}
        </ul>
      )}
      {day.rows.length === 0 ? (
        <p className="muted">该日没有预约。</p>
      ) : (
        <div className="table-wrap">
          <table className="hall">
            <caption className="sr-only">
              {day.office.name} {day.date} 的预约
            </caption>
            <thead>
              <tr>
                <th scope="col">时段</th>
                <th scope="col">预约人</th>
                <th scope="col">业务</th>
                <th scope="col">预约码</th>
                <th scope="col">状态</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {day.rows.map((r) => (
                <tr key={r.id} className={result?.id === r.id && result.kind === 'ok' ? 'just' : undefined}>
                  <td data-label="时段" className="nowrap">
                    {r.start}–{r.end}
                  </td>
                  <td data-label="预约人">
                    {r.personName}
                    {r.mobileMasked && <span className="muted small"> {r.mobileMasked}</span>}
                  </td>
                  <td data-label="业务">
                    {r.business.name}
                    {r.item && <span className="muted small">（{r.item.name ?? r.item.code}）</span>}
                  </td>
                  <td data-label="预约码" className="code">
                    {r.code}
                  </td>
                  <td data-label="状态">
                    <ApptStatus status={r.status} />
                    {r.checkedInAt && (
                      <span className="muted small">
                        {' '}
                        {fmtTime(new Date(r.checkedInAt))}签到{r.checkedInBy ? `（${r.checkedInBy}）` : ''}
                      </span>
                    )}
                    {r.servedBy && <span className="muted small"> 经办：{r.servedBy}</span>}
                  </td>
                  <td data-label="操作">
                    {r.actions.length > 0 ? (
                      <div className="actions-row">
                        {r.actions.map((x) => (
                          <button
                            key={x}
                            type="button"
                            className={`btn small${x === 'no_show' ? ' secondary' : ''}`}
                            disabled={busy}
                            onClick={() => void act(r.id, x, r.code)}
                            aria-label={`${ACTION_LABELS[x]}：${r.personName} ${r.start}`}
                          >
                            {ACTION_LABELS[x]}
                          </button>
                        ))}
                      </div>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <Link href="/staff">返回工作台</Link>
      </p>
    </section>
  );
}
