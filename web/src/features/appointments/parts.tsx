/** Pieces shared by the appointment pages: the agency's rules, status badges, the booking ticket (QR and code). */
import { APPOINTMENT_STATUS_LABELS } from '../../../../common/appointments.ts';
import { Phones } from '../../components/Contact.tsx';
import { dayLabel, weekdayOf, type AppointmentOut, type ApptOptionsOut, apptApi } from './api.ts';

const Example = ({ on }: { on: boolean }) => (on ? <span className="tag example">示例</span> : null);

/** 预约须知: what the agency's settings mean, with the values the seeds do not state marked 示例. */
export function RulesBox({ opts }: { opts: Pick<ApptOptionsOut, 'settings'> }) {
  const s = opts.settings;
  const ex = (k: string) => s.example.includes(k);
  return (
    <div className="notice info appt-rules">
      <p>
        <strong>预约须知</strong>
      </p>
      <ul>
        <li>
          须至少提前 {s.leadWorkingDays} 个工作日预约
          <Example on={ex('leadWorkingDays')} />
          ，可预约 {s.horizonWorkingDays} 个工作日内的时段
          <Example on={ex('horizonWorkingDays')} />
          ；法定节假日和周末不办公，调休上班日照常办公。
        </li>
        <li>
          每人最多同时持有 {s.maxOpenBookings} 个未办理的预约。
          <Example on={ex('maxOpenBookings')} />
        </li>
        <li>
          {s.noShowWindowDays} 天内预约后未到 {s.noShowLimit} 次，暂停预约 {s.noShowBanDays} 天。
          <Example on={ex('noShowLimit') || ex('noShowWindowDays') || ex('noShowBanDays')} /> 不能前往请提前取消。
        </li>
        <li>办理前一个工作日会发送短信提醒；到厅后出示预约二维码或报预约码签到。</li>
      </ul>
      {s.source && <p className="small muted">依据：“{s.source}”</p>}
      {s.example.length > 0 && <p className="small muted">标“示例”的规则和办公时间为示例数据（办事指南未载明），以经办机构公布为准。</p>}
    </div>
  );
}

export function ApptStatus({ status }: { status: AppointmentOut['status'] }) {
  return <span className={`status a-${status}`}>{APPOINTMENT_STATUS_LABELS[status]}</span>;
}

export function when(a: Pick<AppointmentOut, 'date' | 'start' | 'end'>): string {
  return `${dayLabel(a.date, weekdayOf(a.date))} ${a.start}–${a.end}`;
}

/** The booking as shown at the hall: QR code and code, when and where. */
export function Ticket({ a }: { a: AppointmentOut }) {
  const active = a.status === 'booked';
  return (
    <div className={`appt-ticket${active ? '' : ' inactive'}`}>
      <div className="appt-qr">
        <img src={apptApi.qrUrl(a.id)} alt={`预约二维码（预约码 ${a.code}）`} width={220} height={220} />
        <p className="appt-code" aria-label={`预约码 ${a.code.split('').join(' ')}`}>
          {a.code}
        </p>
        <p className="small muted">{active ? '到厅后向工作人员出示二维码或报预约码签到' : a.statusLabel}</p>
      </div>
      <dl className="kv">
        <dt>状态</dt>
        <dd>
          <ApptStatus status={a.status} />
        </dd>
        <dt>时间</dt>
        <dd>
          <strong>{when(a)}</strong>
          {a.provisional && (
            <>
              <span className="tag provisional">预计</span>
              <span className="small muted provisional-note">
                {' '}
                {a.date.slice(0, 4)} 年的放假安排尚未公布，以国务院公布的放假安排为准；如该日不办公，我们会为您改约并通知您。
              </span>
            </>
          )}
        </dd>
        <dt>大厅</dt>
        <dd>{a.office.name}</dd>
        {a.office.address && (
          <>
            <dt>地址</dt>
            <dd>{a.office.address}</dd>
          </>
        )}
        {a.office.phones.length > 0 && (
          <>
            <dt>电话</dt>
            <dd>
              <Phones list={a.office.phones} />
            </dd>
          </>
        )}
        <dt>业务</dt>
        <dd>{a.business.name}</dd>
        {a.item && (
          <>
            <dt>事项</dt>
            <dd>
              {a.item.name ?? a.item.code}（{a.item.code}）
            </dd>
          </>
        )}
        <dt>机构</dt>
        <dd>{a.agencyName}</dd>
        {a.cancelReason && (
          <>
            <dt>取消原因</dt>
            <dd>{a.cancelReason}</dd>
          </>
        )}
      </dl>
    </div>
  );
}
