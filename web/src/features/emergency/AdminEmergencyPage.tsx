/**
 * 应急模式 (/admin/emergency): the agency's emergency regime — its measures as data, cited from the
 * agency's own notice — switched on for a period and off again by the agency admin; revisions are
 * saved as new versions. Supervisors see the page read-only. Every change is audited on the server.
 */
import { useEffect, useState } from 'react';
import type { UserOut } from '../../lib/api.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';
import { announceChange, emergencyApi } from './api.ts';
import type { Msg } from './admin-emergency-parts.ts';
import { StatusPanel } from './EmergencyStatusPanel.tsx';
import { RegimePanel } from './EmergencyRegimePanel.tsx';
import { ExtensionsPanel, HistoryPanel } from './EmergencyHistory.tsx';
import './emergency.css';

export function AdminEmergencyPage() {
  return <RequireLogin staff>{(me) => <Admin me={me} />}</RequireLogin>;
}

function Admin({ me }: { me: UserOut }) {
  const { data, error, reload: load } = useLoad(() => emergencyApi.admin(), []);
  const [msg, setMsg] = useState<Msg>(null);
  useEffect(() => {
    document.title = '应急模式 · 工作台';
  }, []);
  const done = (m: Msg) => {
    setMsg(m);
    announceChange();
    void load();
  };

  if (error && !data) return <ErrorBox message={error.message} retry={load} />;
  if (!data) return <Loading />;
  const manage = data.can.manage;
  return (
    <section className="em-admin staff">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: '应急模式' }]} />
      <h1>应急模式</h1>
      <p className="muted small">
        {me.name}（{manage ? '机构管理员' : '只读'}）· 今天 {data.today} ·{' '}
        <Link href={`/a/${data.agency}/rules#emergency`}>本机构网站上的应急措施</Link> · <Link href="/staff/post-audit">事后审核</Link>
      </p>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <StatusPanel data={data} onDone={done} />
      {data.regimes.map((r) => (
        <RegimePanel key={r.doc.code} regime={r} data={data} onDone={done} />
      ))}
      {data.regimes.length === 0 && <p className="muted">本机构还没有应急预案。</p>}
      <ExtensionsPanel data={data} />
      <HistoryPanel data={data} />
    </section>
  );
}
