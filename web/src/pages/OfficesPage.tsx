import { useEffect } from 'react';
import { api } from '../lib/api.ts';
import { useLoad } from '../lib/useLoad.ts';
import { Crumbs, ErrorBox, Loading } from '../components/Layout.tsx';
import { ContactRows, Tel } from '../components/Contact.tsx';
import { OfficeBookLink } from '../features/appointments/BookLinks.tsx';
import { appointmentOnly, OfficesEmergencyNote, useEmergency } from '../features/emergency/parts.tsx';
import { Table } from '../components/Table.tsx';

const KIND: Record<string, string> = {
  center: '经办中心',
  hall: '服务大厅',
  district_office: '区办事处',
  county_center: '县（市）经办机构',
  agent_point: '便民服务点',
};

export function OfficesPage({ code }: { code: string }) {
  const s = useLoad(() => Promise.all([api.agency(code), api.offices(code)]), [code]);
  const em = useEmergency(code);
  useEffect(() => {
    if (s.status === 'ok') document.title = `${s.data[0].shortName} · 办事大厅与电话`;
  }, [s]);
  if (s.status === 'loading') return <Loading />;
  if (s.status === 'error') return <ErrorBox message={s.error.message} />;
  const [ag, offices] = s.data;
  return (
    <section>
      <Crumbs items={[{ href: '/', label: '首页' }, { href: `/a/${code}`, label: ag.shortName }, { label: '办事大厅与电话' }]} />
      <h1>{ag.shortName}办事大厅与电话</h1>
      <OfficesEmergencyNote em={em} />
      {offices.length > 0 && (
        <>
          <h2>
            办事地点 <span className="count">{offices.length}</span>
          </h2>
          <ul className="cards offices">
            {offices.map((o) => (
              <li key={o.code} className="card">
                <h3>{o.name}</h3>
                <p className="muted">{KIND[o.kind] ?? o.kind}</p>
                {appointmentOnly(em, o.code) && (
                  <p className="em-office">
                    <span className="tag em">应急期间仅限预约</span> 须至少提前 {appointmentOnly(em, o.code)!.minWorkingDaysAhead} 个工作日预约
                  </p>
                )}
                <dl className="kv">
                  {o.address && (
                    <>
                      <dt>地址</dt>
                      <dd>{o.address}</dd>
                    </>
                  )}
                  {o.postalAddress && o.postalAddress !== o.address && (
                    <>
                      <dt>邮寄地址</dt>
                      <dd>
                        {o.postalAddress}
                        {o.postcode ? `（${o.postcode}）` : ''}
                      </dd>
                    </>
                  )}
                  <ContactRows phones={o.phones} faxes={o.faxes} emails={o.emails} />
                  {o.hours && (
                    <>
                      <dt>办公时间</dt>
                      <dd>{o.hours}</dd>
                    </>
                  )}
                  {o.appointmentPhones.length > 0 && (
                    <>
                      <dt>预约电话</dt>
                      <dd>
                        <ul className="plain">
                          {o.appointmentPhones.map((a, i) => (
                            <li key={i}>
                              {a.business}：<Tel n={a.phone} />
                            </li>
                          ))}
                        </ul>
                      </dd>
                    </>
                  )}
                </dl>
                {o.note && <p className="muted">{o.note}</p>}
                <OfficeBookLink agency={code} officeCode={o.code} />
              </li>
            ))}
          </ul>
        </>
      )}
      {ag.departments.length > 0 && (
        <>
          <h2>
            业务部门 <span className="count">{ag.departments.length}</span>
          </h2>
          <ul className="cards offices">
            {ag.departments.map((d) => (
              <li key={d.code} className="card">
                <h3>{d.name}</h3>
                {d.duties.length > 0 && <p className="muted">负责：{d.duties.join('、')}</p>}
                <dl className="kv">
                  <ContactRows phones={d.phones} faxes={d.faxes} emails={d.emails} />
                  {(d.postalAddress || d.address) && (
                    <>
                      <dt>邮寄地址</dt>
                      <dd>{d.postalAddress ?? d.address}</dd>
                    </>
                  )}
                </dl>
              </li>
            ))}
          </ul>
        </>
      )}
      {ag.appointmentPhones.length > 0 && (
        <>
          <h2>预约电话</h2>
          {ag.appointmentPhones.map((g, i) => (
            <div key={i} className="table-wrap">
              <Table
                rows={g.entries}
                caption={
                  <>
                    {g.business}
                    {g.areaCode ? `（区号 ${g.areaCode}）` : ''}
                  </>
                }
                columns={[
                  { header: '地区', cell: (e) => e.place },
                  { header: '电话', cell: (e) => <Tel n={e.phone} /> },
                ]}
              />
              {g.note && <p className="muted">{g.note}</p>}
            </div>
          ))}
        </>
      )}
      {offices.length === 0 && ag.departments.length === 0 && <p>该机构未公布办事地点，请拨打咨询电话：{ag.consultPhones.join('、') || '暂无'}。</p>}
    </section>
  );
}
