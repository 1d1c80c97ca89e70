/**
 * 单位网厅 (/unit): a unit clerk's 增减员 — the unit and its 参保登记, 花名册导入 (upload → the whole
 * file checked → a per-row report → the clerk chooses to import all or only the correct rows),
 * one-by-one 增员/减员, the unit's employees, and its 经办人 (requests to approve, clerks to revoke).
 * Nothing is imported until the clerk clicks. An account whose clerk request is not approved sees
 * only its status (ClerkWaiting).
 */
import { useEffect, useState } from 'react';
import { api, type AgencySummary } from '../../lib/api.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { Crumbs, ErrorBox, Pending } from '../../components/Layout.tsx';
import { EmployeeList } from './EmployeeList.tsx';
import { RosterImport } from './RosterImport.tsx';
import { OneByOne } from './OneByOne.tsx';
import { BaseDeclaration } from './BaseDeclaration.tsx';
import { ClerkWaiting } from './ClerkWaiting.tsx';
import { UnitClerks } from './UnitClerks.tsx';

export function UnitPage() {
  return <RequireLogin staff={false}>{(me) => (me.kind === 'unit' ? <ClerkGate /> : <NotUnit />)}</RequireLogin>;
}

/** Only an approved 单位经办人 sees the unit; anyone else sees where their request stands. */
function ClerkGate() {
  const { data, error, reload } = useLoad(() => api.myClerkRequest(), []);
  useEffect(() => {
    document.title = '单位网厅 · 医保经办服务平台';
  }, []);
  if (!data) return <Pending error={error} retry={reload} />;
  if (data.status !== 'approved') return <ClerkWaiting data={data} reload={reload} />;
  return <Unit />;
}

function NotUnit() {
  return (
    <div className="error-box" role="alert">
      <p>单位网厅仅供单位经办人账号使用。个人办件请前往我的办件。</p>
      <p>
        <Link href="/me">前往我的办件</Link>
      </p>
    </div>
  );
}

function Unit() {
  const { data, error, loading: refreshing, reload: load } = useLoad(() => api.unitEmployees(), []);
  const [agencies, setAgencies] = useState<AgencySummary[]>([]);
  useEffect(() => {
    document.title = '单位网厅 · 医保经办服务平台';
    api.agencies().then(setAgencies, () => setAgencies([]));
  }, []);

  if (!data) return <Pending error={error} retry={load} />;
  const { unit } = data;
  const registered = unit.agencyCode !== null;
  const agencyName = agencies.find((a) => a.code === unit.agencyCode)?.name ?? unit.agencyCode;
  return (
    <section className="unit">
      <Crumbs items={[{ href: '/', label: '首页' }, { label: '单位网厅' }]} />
      <h1>单位网厅</h1>
      <div className="panel unit-head">
        <h2 className="sr-only">本单位</h2>
        <dl className="kv">
          <dt>单位名称</dt>
          <dd>{unit.name}</dd>
          <dt>统一社会信用代码</dt>
          <dd className="mono">{unit.uscc}</dd>
          <dt>参保登记机构</dt>
          <dd>{registered ? agencyName : <span className="muted">尚未登记</span>}</dd>
        </dl>
        {!registered && (
          <div className="warn-box inner">
            <p>
              <strong>本单位尚未办理单位参保登记。</strong>
              请先到参保地医保经办机构办理单位参保登记，登记后才能在这里为职工增员、减员。
            </p>
            <p>
              <Link href="/">查找经办机构和办事指南</Link>
            </p>
          </div>
        )}
        <p className="small no-print">
          本账号个人的办件见<Link href="/me">我的办件</Link>。
        </p>
      </div>
      {error && <ErrorBox message={error.message} retry={() => void load()} />}
      <UnitClerks />
      {registered && (
        <>
          <RosterImport onApplied={load} />
          <OneByOne onDone={load} />
          <BaseDeclaration activeCount={data.items.filter((e) => e.status === 'active').length} />
        </>
      )}
      <EmployeeList data={data} refreshing={refreshing} />
    </section>
  );
}
