/**
 * Choose a day, then a time slot, of one office and business type: radio groups (arrow keys move,
 * Space picks), days that cannot be booked shown disabled with the reason (holiday, weekend, too
 * soon), each slot with the seats left.
 */
import { useEffect, useId, useState } from 'react';
import { asApiError } from '../../lib/api.ts';
import { Loading } from '../../components/Layout.tsx';
import { apptApi, dayLabel, WEEKDAYS, type SlotsOut } from './api.ts';
import type { ClosedBy } from '../../../../common/appointments.ts';

export interface Pick {
  date: string;
  start: string;
  end: string;
}

export function SlotPicker({
  officeId,
  business,
  value,
  onChange,
  reload = 0,
  exclude,
}: {
  officeId: number;
  business: string;
  value: { date: string; start: string } | null;
  onChange: (p: Pick | null) => void;
  /** Bump to fetch the seats again (e.g. after "已约满"). */
  reload?: number;
  /** The booking being moved: its own slot is not offered. */
  exclude?: { date: string; start: string };
}) {
  const id = useId();
  const [data, setData] = useState<SlotsOut | null>(null);
  const [error, setError] = useState('');
  const [day, setDay] = useState<string | null>(value?.date ?? null);

  useEffect(() => {
    let live = true;
    setError('');
    apptApi.slots(officeId, business, undefined, 21).then(
      (d) => {
        if (!live) return;
        setData(d);
        // Keep the chosen day if it can still be booked, else none.
        setDay((cur) => (cur && d.days.some((x) => x.date === cur && x.bookable) ? cur : null));
      },
      (e) => live && setError(asApiError(e).message),
    );
    return () => {
      live = false;
    };
  }, [officeId, business, reload]);

  if (error)
    return (
      <p className="field-error" role="alert">
        {error}
      </p>
    );
  if (!data) return <Loading />;
  const bookableDays = data.days.filter((d) => d.bookable);
  const chosen = data.days.find((d) => d.date === day) ?? null;
  const seatsOf = (d: SlotsOut['days'][number]) => d.slots.reduce((n, s) => n + (s.bookable ? s.left : 0), 0);

  return (
    <div className="slot-picker">
      <fieldset className="appt-choice days">
        <legend>选择日期</legend>
        {bookableDays.length === 0 && (
          <p className="muted">近期没有可预约的日期{data.calendarEnds ? '（工作日历尚未录入后续年度）' : ''}，请稍后再试或拨打预约电话。</p>
        )}
        <div className="chip-grid">
          {data.days.map((d) => {
            const seats = seatsOf(d);
            const off = !d.bookable || seats === 0;
            return (
              <label key={d.date} className={`chip${off ? ' off' : ''}${day === d.date ? ' on' : ''}`}>
                <input
                  type="radio"
                  name={`${id}-day`}
                  value={d.date}
                  checked={day === d.date}
                  disabled={off}
                  onChange={() => {
                    setDay(d.date);
                    onChange(null);
                  }}
                />
                <span className="chip-main">{monthDay(d.date)}</span>
                <span className="chip-sub">
                  周{WEEKDAYS[d.weekday]} ·{' '}
                  {d.bookable ? (seats > 0 ? `余${seats}` : '约满') : d.kind === 'holiday' ? (d.dayName ?? '节假日') : shortReason(d)}
                </span>
              </label>
            );
          })}
        </div>
        {data.earliest && (
          <p className="help">
            现在最早可约 {data.earliest}，最晚 {data.latest}
            {data.calendarEnds ? '（工作日历只录入到此）' : ''}。
          </p>
        )}
        {data.days.some((d) => d.provisional && d.bookable) && (
          <p className="help provisional-note">
            {data.days.find((d) => d.provisional)!.date.slice(0, 4)}{' '}
            年的放假安排尚未公布，该年的办公日按《全国年节及纪念日放假办法》预计，以国务院公布的放假安排为准；
            公布后如您预约的日期不办公，我们会为您改约到最近的时段并通知您。
          </p>
        )}
      </fieldset>
      {chosen && (
        <fieldset className="appt-choice slots">
          <legend>
            选择时段（{dayLabel(chosen.date, chosen.weekday)}
            {chosen.provisional ? ' · 预计' : ''}）
          </legend>
          <div className="chip-grid">
            {chosen.slots.map((s) => {
              const mine = exclude && exclude.date === chosen.date && exclude.start === s.start;
              const off = !s.bookable || mine;
              const checked = value?.date === chosen.date && value.start === s.start;
              return (
                <label key={s.start} className={`chip${off ? ' off' : ''}${checked ? ' on' : ''}`}>
                  <input
                    type="radio"
                    name={`${id}-slot`}
                    value={s.start}
                    checked={checked}
                    disabled={off}
                    onChange={() => onChange({ date: chosen.date, start: s.start, end: s.end })}
                  />
                  <span className="chip-main">{s.start}</span>
                  <span className="chip-sub">
                    至{s.end} · {mine ? '当前' : s.left > 0 ? `余${s.left}` : '约满'}
                  </span>
                </label>
              );
            })}
          </div>
        </fieldset>
      )}
    </div>
  );
}

const monthDay = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

/** A day's short label in the grid, from the server's code (its full `reason` is the cell's title). */
const SHORT_REASON: Record<ClosedBy, string> = {
  weekend: '周末',
  holiday: '节假日',
  too_soon: '未到可约日',
  past: '已过预约时间',
  not_open: '尚未开放',
  no_calendar: '日历未录入',
  no_service: '暂停预约',
  closed: '暂停预约',
};

function shortReason(d: { closedBy: ClosedBy | null; reason: string | null }): string {
  if (!d.closedBy) return '不可约';
  // A day the admin closed shows the admin's own reason when it is short enough for the cell.
  if (d.closedBy === 'closed' && d.reason && d.reason.length <= 6) return d.reason;
  return SHORT_REASON[d.closedBy];
}
