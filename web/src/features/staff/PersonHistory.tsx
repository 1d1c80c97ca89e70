/** The person record page's registry history. */
import { fmtDate, fmtDateTime } from '../../lib/format.ts';
import type { PersonRecordOut } from './personsApi.ts';
import { None, Section } from './personParts.tsx';
import { caseLink } from './PersonRecordSections.tsx';

export function History({ data }: { data: PersonRecordOut }) {
  return (
    <Section id="sec-history" title="登记历史">
      {data.history.length === 0 ? (
        <None>没有登记变更记录。</None>
      ) : (
        <div className="table-wrap">
          <table className="stack person-history">
            <caption className="sr-only">登记历史：谁在何时变更了什么</caption>
            <thead>
              <tr>
                <th scope="col">时间</th>
                <th scope="col" className="nowrap">
                  项目
                </th>
                <th scope="col">变更内容</th>
                <th scope="col">经办人</th>
                <th scope="col" className="nowrap">
                  办件
                </th>
              </tr>
            </thead>
            <tbody>
              {data.history.map((h) => (
                <tr key={h.id}>
                  <td data-label="时间" className="nowrap">
                    {fmtDateTime(h.at)}
                    {h.effectiveFrom !== fmtDate(h.at) && <span className="small muted person-block">自 {h.effectiveFrom} 起</span>}
                  </td>
                  <td data-label="项目" className="nowrap">
                    {h.entityLabel}
                  </td>
                  <td data-label="变更内容">{h.summary}</td>
                  <td data-label="经办人">{h.actor}</td>
                  <td data-label="办件" className="nowrap">
                    {caseLink(h.caseId, h.caseNo)}
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
