/** One booking (/me/appointments/{id}): QR code and code for the hall, cancel, reschedule, history. */
import { VisitRating } from '../feedback/CaseRating.tsx';
import { useCallback, useEffect, useState } from 'react';
import { asApiError } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { fmtDateTime } from '../../lib/format.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { apptApi, type AppointmentOut } from './api.ts';
import { SlotPicker, type Pick } from './SlotPicker.tsx';
import { Ticket, when } from './parts.tsx';
import './appointments.css';

export function MyAppointmentPage({ id, fresh }: { id: number; fresh: boolean }) {
  return <RequireLogin staff={false}>{() => <MyAppointment id={id} fresh={fresh} />}</RequireLogin>;
}

function MyAppointment({ id, fresh }: { id: number; fresh: boolean }) {
  const [a, setA] = useState<AppointmentOut | null>(null);
  const [error, setError] = useState('');
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(
    fresh ? { kind: 'ok', text: '预约成功。请保存预约码，按时到大厅签到；办理前一个工作日会短信提醒您。' } : null,
  );
  const [cancelOpen, setCancelOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [moving, setMoving] = useState(false);
  const [pick, setPick] = useState<Pick | null>(null);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);

  const load = useCallback(async () => {
    try {
      setA(await apptApi.get(id));
    } catch (e) {
      setError(asApiError(e).message);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (a) document.title = `预约 ${a.code} · 医保经办服务平台`;
  }, [a]);

  if (error) return <ErrorBox message={error} />;
  if (!a) return <Loading />;

  const cancel = async () => {
    setBusy(true);
    try {
      setA(await apptApi.cancel(a.id, reason.trim() || undefined));
      setMsg({ kind: 'ok', text: '预约已取消，号源已释放。' });
    } catch (e) {
      setMsg({ kind: 'error', text: asApiError(e).message });
    } finally {
      setBusy(false);
      setCancelOpen(false);
    }
  };
  const reschedule = async () => {
    if (!pick) return;
    setBusy(true);
    try {
      const next = await apptApi.reschedule(a.id, pick.date, pick.start);
      setA(next);
      setMoving(false);
      setPick(null);
      setMsg({ kind: 'ok', text: `已改约到 ${when(next)}，预约码不变。` });
    } catch (e) {
      const err = asApiError(e);
      setMsg({ kind: 'error', text: err.message });
      if (err.code === 'APPT_SLOT_FULL') {
        setPick(null);
        setReload((n) => n + 1);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <Crumbs items={[{ href: '/', label: '首页' }, { href: '/me/appointments', label: '我的预约' }, { label: a.code }]} />
      <h1>预约详情</h1>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <Ticket a={a} />
      {(a.canCancel || a.canReschedule) && !moving && (
        <div className="actions-row">
          {a.canReschedule && (
            <button type="button" className="btn secondary" onClick={() => setMoving(true)}>
              改约
            </button>
          )}
          {a.canCancel && (
            <button type="button" className="btn danger" onClick={() => setCancelOpen(true)}>
              取消预约
            </button>
          )}
        </div>
      )}
      {moving && (
        <div className="panel">
          <h2>改约到其他时段</h2>
          <p className="muted small">
            同一大厅、同一业务（{a.office.name} · {a.business.name}），规则与新预约相同。
          </p>
          <SlotPicker
            officeId={a.office.id}
            business={a.business.code}
            value={pick}
            onChange={setPick}
            reload={reload}
            exclude={{ date: a.date, start: a.start }}
          />
          <div className="actions-row">
            <button type="button" className="btn" disabled={!pick || busy} onClick={() => void reschedule()}>
              {busy ? '请稍候…' : pick ? `改约到 ${when(pick)}` : '请选择新时段'}
            </button>
            <button
              type="button"
              className="btn secondary"
              onClick={() => {
                setMoving(false);
                setPick(null);
              }}
            >
              不改了
            </button>
          </div>
        </div>
      )}
      <VisitRating appointmentId={a.id} status={a.status} agencyCode={a.agencyCode} />
      {a.events && a.events.length > 0 && (
        <>
          <h2>记录</h2>
          <ol className="timeline">
            {a.events.map((e, i) => (
              <li key={i}>
                <time dateTime={e.at}>{fmtDateTime(e.at)}</time> {e.label}
                {e.note && <span className="ev-note">：{e.note}</span>}
              </li>
            ))}
          </ol>
        </>
      )}
      <p>
        <Link href="/me/appointments">返回我的预约</Link>
      </p>
      <Dialog
        open={cancelOpen}
        title="取消这个预约？"
        confirmLabel="确认取消"
        cancelLabel="不取消"
        danger
        busy={busy}
        onConfirm={() => void cancel()}
        onClose={() => setCancelOpen(false)}
      >
        <p>
          {when(a)} · {a.office.name}
        </p>
        <label className="block-label" htmlFor="cancel-reason">
          取消原因（选填）
        </label>
        <input id="cancel-reason" type="text" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Dialog>
    </section>
  );
}
