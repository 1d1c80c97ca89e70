/** The person record page's read-only sections: identity, enrolments, contributions, the account and the other records. */
import type { ReactNode } from 'react';
import { Link } from '../../lib/router.tsx';
import { fmtDate, fmtDateTime } from '../../lib/format.ts';
import { ENROLMENT_STATUS_LABELS, ENROLMENT_TYPE_LABELS } from '../../../../common/registry.ts';
import { FILING_KIND_LABELS, LEDGER_KIND_LABELS, PAYMENT_KIND_LABELS, PAYMENT_STATUS_LABELS } from '../../../../common/persons.ts';
import type { PersonRecordOut, RelatedPerson } from './personsApi.ts';
import { None, Section } from './personParts.tsx';
import { SEX, EMPLOYMENT, yuan } from './person-record-parts.ts';

export function Identity({ data }: { data: PersonRecordOut }) {
  const p = data.person;
  const region = (code: string | null, name: string | null) => (code ? `${name ? `${name} ` : ''}${code}` : '无');
  return (
    <Section id="sec-identity" title="身份信息">
      <dl className="kv person-kv">
        <dt>公民身份号码</dt>
        <dd className="mono">{p.idNo}</dd>
        <dt>性别</dt>
        <dd>{SEX[p.sex]}</dd>
        <dt>出生日期</dt>
        <dd>
          {p.birthDate}（{p.age}周岁）
        </dd>
        <dt>户籍地</dt>
        <dd>{region(p.hukouRegion, p.hukouRegionName)}</dd>
        <dt>居住证</dt>
        <dd>{region(p.residencePermitRegion, p.residencePermitRegionName)}</dd>
        <dt>联系电话</dt>
        <dd>{p.phone ?? '无'}</dd>
      </dl>
    </Section>
  );
}

export function Enrolments({ data }: { data: PersonRecordOut }) {
  return (
    <Section id="sec-enrol" title="参保登记">
      {data.enrolments.length === 0 ? (
        <None>没有参保登记。</None>
      ) : (
        <div className="table-wrap">
          <table className="stack">
            <thead>
              <tr>
                <th scope="col">险种</th>
                <th scope="col">经办机构</th>
                <th scope="col">单位</th>
                <th scope="col">状态</th>
                <th scope="col">起止</th>
              </tr>
            </thead>
            <tbody>
              {data.enrolments.map((e, i) => (
                <tr key={i}>
                  <td data-label="险种">
                    {ENROLMENT_TYPE_LABELS[e.type]}
                    {e.employment && <span className="tag">{EMPLOYMENT[e.employment]}</span>}
                  </td>
                  <td data-label="经办机构">{e.agencyName}</td>
                  <td data-label="单位">
                    {e.unitName ?? '—'}
                    {e.unitUscc && <span className="mono small muted person-block">{e.unitUscc}</span>}
                  </td>
                  <td data-label="状态">
                    <span className={`tag${e.status === 'active' ? ' ok' : ''}`}>{ENROLMENT_STATUS_LABELS[e.status]}</span>
                  </td>
                  <td data-label="起止" className="nowrap">
                    {e.start} 至 {e.end ?? '今'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

export function Contributions({ data }: { data: PersonRecordOut }) {
  return (
    <Section id="sec-contrib" title="缴费情况">
      {data.contributions.length === 0 ? (
        <None>没有缴费记录。</None>
      ) : (
        <ul className="person-cards">
          {data.contributions.map((c) => (
            <li key={c.type}>
              <h3>{ENROLMENT_TYPE_LABELS[c.type]}</h3>
              <dl className="kv person-kv">
                <dt>连续缴费</dt>
                <dd>
                  <strong>{c.continuousMonths}</strong> 个月
                </dd>
                <dt>欠费</dt>
                <dd className={c.arrears.length ? 'person-bad' : undefined}>
                  {c.arrears.length ? `${c.arrears.length} 个月（${c.arrears.join('、')}）` : '无'}
                </dd>
                <dt>已缴</dt>
                <dd>
                  {c.paidMonths} 个月（{c.firstMonth} 至 {c.lastMonth}）
                </dd>
                <dt>最近基数</dt>
                <dd>{yuan(c.lastBase)}</dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function Account({ data }: { data: PersonRecordOut }) {
  const a = data.account;
  return (
    <Section id="sec-account" title="个人账户">
      {!a ? (
        <None>本机构没有此人的个人账户。</None>
      ) : (
        <>
          <p>
            余额 <strong className="person-money">{yuan(a.balance)}</strong>
          </p>
          {a.ledger.length > 0 && (
            <div className="table-wrap">
              <table className="stack">
                <caption>最近 {a.ledger.length} 笔</caption>
                <thead>
                  <tr>
                    <th scope="col">时间</th>
                    <th scope="col">类别</th>
                    <th scope="col">金额</th>
                    <th scope="col">余额</th>
                    <th scope="col">办件</th>
                  </tr>
                </thead>
                <tbody>
                  {a.ledger.map((l, i) => (
                    <tr key={i}>
                      <td data-label="时间" className="nowrap">
                        {fmtDateTime(l.at)}
                      </td>
                      <td data-label="类别">
                        {LEDGER_KIND_LABELS[l.kind] ?? l.kind}
                        {l.note && <span className="small muted"> · {l.note}</span>}
                      </td>
                      <td data-label="金额" className="nowrap">
                        {l.amount > 0 ? '+' : ''}
                        {yuan(l.amount)}
                      </td>
                      <td data-label="余额" className="nowrap">
                        {yuan(l.balanceAfter)}
                      </td>
                      <td data-label="办件">{caseLink(l.caseId, l.caseNo)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Section>
  );
}

export function caseLink(caseId: number | null, caseNo: string | null): ReactNode {
  if (caseId) return <Link href={`/staff/cases/${caseId}`}>{caseNo ?? `#${caseId}`}</Link>;
  return caseNo ?? '—';
}

export function OtherRecords({ data }: { data: PersonRecordOut }) {
  return (
    <Section id="sec-other" title="备案、认定、封锁期与待遇支付">
      <h3>异地就医备案</h3>
      {data.remoteFilings.length === 0 ? (
        <None />
      ) : (
        <ul className="person-lines">
          {data.remoteFilings.map((f, i) => (
            <li key={i}>
              {FILING_KIND_LABELS[f.kind] ?? f.kind}：{f.destination}，{f.validFrom} 至 {f.validTo ?? '长期'}
              {f.pledgeDue && `；承诺补交证明材料期限 ${f.pledgeDue}`}
              <span className={`tag${f.valid ? ' ok' : ''}`}>{f.valid ? '有效' : '已失效'}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>门诊慢特病认定</h3>
      {data.chronicCerts.length === 0 ? (
        <None />
      ) : (
        <ul className="person-lines">
          {data.chronicCerts.map((c, i) => (
            <li key={i}>
              {c.disease}：{c.from} 至 {c.to ?? '长期'}
              <span className={`tag${c.valid ? ' ok' : ''}`}>{c.valid ? '有效' : '已失效'}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>待遇封锁期</h3>
      {data.lockouts.length === 0 ? (
        <None />
      ) : (
        <ul className="person-lines">
          {data.lockouts.map((l, i) => (
            <li key={i}>
              {l.from} 至 {l.to}：{l.reason}
              {l.active && <span className="tag warn">封锁中</span>}
            </li>
          ))}
        </ul>
      )}
      <h3>待遇支付</h3>
      {data.payments.length === 0 ? (
        <None />
      ) : (
        <ul className="person-lines">
          {data.payments.map((x) => (
            <li key={x.caseId}>
              {fmtDate(x.at)} {PAYMENT_KIND_LABELS[x.kind] ?? x.kind} {yuan(x.amount)}（{PAYMENT_STATUS_LABELS[x.status] ?? x.status}）· 办件{' '}
              {caseLink(x.caseId, x.caseNo)}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function PersonLink({ p }: { p: RelatedPerson }) {
  return (
    <>
      {p.viewable ? <Link href={`/staff/persons/${p.id}`}>{p.name}</Link> : <span>{p.name}</span>} <span className="mono small muted">{p.idNo}</span>
    </>
  );
}

export function facts(p: RelatedPerson): string {
  return `${p.age}周岁 · 户籍 ${p.hukouRegion}${p.residencePermitRegion ? ` · 居住证 ${p.residencePermitRegion}` : ''}${p.status === 'deceased' ? ' · 已死亡' : ''}`;
}
