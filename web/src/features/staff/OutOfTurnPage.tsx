/** 不按顺序办理报告 for supervisors and agency admins. */
import { useEffect } from 'react';
import { api } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { Link } from '../../lib/router.tsx';
import { fmtDateTime } from '../../lib/format.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Table } from '../../components/Table.tsx';

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
          <Table
            rows={s.data.items}
            caption={<>共 {s.data.items.length} 条</>}
            empty="暂无记录。"
            columns={[
              { header: '时间', className: 'nowrap', cell: (o) => fmtDateTime(o.at) },
              {
                header: '办件编号',
                className: 'mono nowrap',
                cell: (o) => <Link href={`/staff/cases/${o.caseId}`}>{o.caseNo ?? `#${o.caseId}`}</Link>,
              },
              { header: '工作人员', className: 'nowrap', cell: (o) => o.staff },
              { header: '跳过件数', cell: (o) => o.skipped },
              { header: '理由', cell: (o) => o.reason },
            ]}
          />
        </div>
      )}
    </section>
  );
}
