/** 我的预约 (/me/appointments): upcoming bookings first, then the past; why a new booking is not possible, if so. */
import { useEffect } from 'react';
import { api } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';
import { apptApi } from './api.ts';
import { ApptStatus, when } from './parts.tsx';
import { AgencyBookLink } from './BookLinks.tsx';
import './appointments.css';

export function MyAppointmentsPage() {
  return <RequireLogin staff={false}>{() => <MyAppointments />}</RequireLogin>;
}

function MyAppointments() {
  const s = useLoad(() => Promise.all([apptApi.mine(), api.agencies()]), []);
  useEffect(() => {
    document.title = '我的预约 · 医保经办服务平台';
  }, []);
  if (s.status === 'loading') return <Loading />;
  if (s.status === 'error') return <ErrorBox message={s.error.message} />;
  const [data, agencies] = s.data;
  const upcoming = data.items.filter((a) => a.status === 'booked');
  const past = data.items.filter((a) => a.status !== 'booked');
  const name = (code: string) => agencies.find((a) => a.code === code)?.shortName ?? code;
  return (
    <section>
      <Crumbs items={[{ href: '/', label: '首页' }, { href: '/me', label: '我的办件' }, { label: '我的预约' }]} />
      <h1>我的预约</h1>
      {data.standings
        .filter((st) => !st.canBook)
        .map((st) => (
          <Notice key={st.agencyCode} kind="error" focus={false}>
            <p>
              <strong>{name(st.agencyCode)}：暂时不能新预约。</strong>
              {st.message}
            </p>
          </Notice>
        ))}
      <p>预约到大厅办理（选择经办机构）：</p>
      <ul className="agency-links">
        {agencies.map((a) => (
          <AgencyBookLink key={a.code} agency={a.code} name={a.shortName} />
        ))}
      </ul>
      <h2>
        待办理 <span className="count">{upcoming.length}</span>
      </h2>
      {upcoming.length === 0 ? <p className="muted">没有待办理的预约。</p> : <List items={upcoming} />}
      {past.length > 0 && (
        <>
          <h2>
            历史预约 <span className="count">{past.length}</span>
          </h2>
          <List items={past} />
        </>
      )}
    </section>
  );
}

function List({ items }: { items: Awaited<ReturnType<typeof apptApi.mine>>['items'] }) {
  return (
    <ul className="appt-list">
      {items.map((a) => (
        <li key={a.id}>
          <div className="appt-head">
            <Link href={`/me/appointments/${a.id}`} className="appt-when">
              {when(a)}
            </Link>
            <ApptStatus status={a.status} />
          </div>
          <p className="small">
            {a.office.name} · {a.business.name}
            {a.item ? ` · ${a.item.name ?? a.item.code}` : ''}
          </p>
          <p className="small muted">
            预约码 <span className="mono">{a.code}</span>
            {a.status === 'booked' && (
              <>
                {' · '}
                <Link href={`/me/appointments/${a.id}`}>出示二维码、改约或取消</Link>
              </>
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}
