/** 不按顺序办理报告 for supervisors and agency admins. */
import { useEffect } from 'react';
import { api } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { Link } from '../../lib/router.tsx';
import { fmtDateTime } from '../../lib/format.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';

export function OutOfTurnPage() {
  return <RequireLogin staff>{() => <OutOfTurn />}</RequireLogin>;
}

function OutOfTurn() {
  const s = useLoad(() => api.outOfTurn(), []);
  useEffect(() => {
    document.title = '不按顺序办理报告 · 工作台';
  }, []);
  return (
    <section>
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: '不按顺序办理报告' }]} />
      <h1>不按顺序办理报告</h1>
      <p className="muted">工作人员跳过更早的同类办件先行办理时填写的理由。</p>
      {s.status === 'loading' && <Loading />}
      {s.status === 'error' && <ErrorBox message={s.error.message} />}
      {s.status === 'ok' && (
        <div className="table-wrap">
          <table>
            <caption>共 {s.data.items.length} 条</caption>
            <thead>
              <tr>
                <th scope="col">时间</th>
                <th scope="col">办件编号</th>
                <th scope="col">工作人员</th>
                <th scope="col">跳过件数</th>
                <th scope="col">理由</th>
              </tr>
            </thead>
            <tbody>
              {s.data.items.length === 0 && (
                <tr>
                  <td colSpan={5} className="muted">
                    暂无记录。
                  </td>
                </tr>
              )}
              {s.data.items.map((o, i) => (
                <tr key={i}>
                  <td className="nowrap">{fmtDateTime(o.at)}</td>
                  <td className="mono nowrap">
                    <Link href={`/staff/cases/${o.caseId}`}>{o.caseNo ?? `#${o.caseId}`}</Link>
                  </td>
                  <td className="nowrap">{o.staff}</td>
                  <td>{o.skipped}</td>
                  <td>{o.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
