/** The unit page's list of the unit's employees. */
import { useState } from 'react';
import type { Employees } from '../../lib/api.ts';
import { FIRST_EMPLOYEES, STATUS_LABELS } from './unit-parts.ts';

export function EmployeeList({ data, refreshing }: { data: Employees; refreshing: boolean }) {
  const [all, setAll] = useState(false);
  const items = data.items;
  const active = items.filter((e) => e.status === 'active').length;
  const shown = all ? items : items.slice(0, FIRST_EMPLOYEES);
  return (
    <section aria-labelledby="emp-h" className="employees">
      <h2 id="emp-h">在职参保职工</h2>
      {items.length === 0 ? (
        <p className="empty">本单位还没有参保职工。可通过花名册导入或逐个增员添加。</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="stack">
              <caption>
                共 {items.length} 人：在职参保 {active} 人，已减员 {items.length - active} 人{refreshing ? ' · 正在刷新…' : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">姓名</th>
                  <th scope="col">公民身份号码</th>
                  <th scope="col">参保开始日期</th>
                  <th scope="col">状态</th>
                  <th scope="col">减员日期</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((e, i) => (
                  <tr key={`${e.idNoMasked}-${e.start}-${i}`}>
                    <td data-label="姓名">{e.name}</td>
                    <td data-label="公民身份号码" className="mono nowrap">
                      {e.idNoMasked}
                    </td>
                    <td data-label="参保开始日期" className="nowrap">
                      {e.start}
                    </td>
                    <td data-label="状态">
                      <span className={`status emp-${e.status}`}>{STATUS_LABELS[e.status] ?? e.status}</span>
                    </td>
                    <td data-label="减员日期" className="nowrap">
                      {e.end ?? '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {shown.length < items.length && (
            <button type="button" className="btn secondary" onClick={() => setAll(true)}>
              显示全部 {items.length} 人
            </button>
          )}
        </>
      )}
    </section>
  );
}
