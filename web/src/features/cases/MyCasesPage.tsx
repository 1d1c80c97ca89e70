/** 我的办件: the user's cases, in-app messages and (for applicants) 代办授权. */
import { useEffect } from 'react';
import { api, type UserOut } from '../../lib/api.ts';
import { isStaff, RequireLogin } from '../../lib/auth.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { Link } from '../../lib/router.tsx';
import { fmtDate, fmtDateTime } from '../../lib/format.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Deadline, StatusBadge } from './parts.tsx';
import { DueDate } from '../../components/DateText.tsx';
import { AuthorisationsPanel } from '../accounts/AuthorisationsPanel.tsx';
import { IdentityPanel } from '../accounts/IdentityPanel.tsx';

export function MyCasesPage() {
  return <RequireLogin>{(me) => <MyCases me={me} />}</RequireLogin>;
}

function MyCases({ me }: { me: UserOut }) {
  const name = me.name;
  const cases = useLoad(() => api.myCases(1, 100), []);
  const notes = useLoad(() => api.notifications(), []);
  useEffect(() => {
    document.title = '我的办件 · 医保经办服务平台';
  }, []);
  return (
    <section>
      <Crumbs items={[{ href: '/', label: '首页' }, { label: '我的办件' }]} />
      <h1>我的办件</h1>
      <p className="muted">{name}，您好。这里列出您申请的全部办件，点击可查看进度、补正材料和下载文书。</p>
      {me.idVerified === false && <IdentityPanel />}
      <p>
        <Link href="/me/appointments">我的大厅预约</Link>（预约码、改约和取消）
      </p>
      {me.kind === 'unit' && (
        <p>
          为本单位职工增减员，请到<Link href="/unit">单位网厅</Link>。
        </p>
      )}
      {cases.status === 'loading' && <Loading />}
      {cases.status === 'error' && <ErrorBox message={cases.error.message} />}
      {cases.status === 'ok' &&
        (cases.data.items.length === 0 ? (
          <div className="empty">
            <p>
              您还没有办件。可先<Link href="/">选择经办机构</Link>，在服务事项页面点击“在线申请”。
            </p>
          </div>
        ) : (
          <ul className="case-list">
            {cases.data.items.map((c) => (
              <li key={c.id} className={c.overdue ? 'overdue' : undefined}>
                <Link href={c.status === 'draft' ? `/apply/${c.agencyCode}/${c.itemCode}?draft=${c.id}` : `/me/cases/${c.id}`} className="case-link">
                  <span className="case-title">{c.itemName}</span>
                  <StatusBadge status={c.status} label={c.statusLabel} />
                </Link>
                <dl className="case-meta">
                  {c.applicantName !== name && (
                    <div>
                      <dt>申请人（代办）</dt>
                      <dd>{c.applicantName}</dd>
                    </div>
                  )}
                  <div>
                    <dt>办件编号</dt>
                    <dd className="mono">{c.caseNo ?? '草稿（未提交）'}</dd>
                  </div>
                  <div>
                    <dt>提交日期</dt>
                    <dd>{c.submittedAt ? fmtDate(c.submittedAt) : '—'}</dd>
                  </div>
                  <div>
                    <dt>到期日</dt>
                    <dd>
                      <DueDate date={c.dueDate} provisional={c.dueProvisional} /> <Deadline c={c} />
                    </dd>
                  </div>
                </dl>
                {c.status === 'draft' && (
                  <p className="small">
                    <Link href={`/apply/${c.agencyCode}/${c.itemCode}?draft=${c.id}`}>继续填写</Link>
                  </p>
                )}
              </li>
            ))}
          </ul>
        ))}

      {!isStaff(me) && <AuthorisationsPanel />}

      <h2>站内消息</h2>
      {notes.status === 'loading' && <Loading />}
      {notes.status === 'error' && <ErrorBox message={notes.error.message} />}
      {notes.status === 'ok' &&
        (notes.data.items.length === 0 ? (
          <p className="muted">暂无消息。</p>
        ) : (
          <ul className="messages">
            {notes.data.items.map((n) => (
              <li key={n.id}>
                <p className="msg-head">
                  <strong>{n.subject}</strong>
                  <time dateTime={n.at} className="muted small">
                    {fmtDateTime(n.at)}
                  </time>
                </p>
                <p className="msg-body">{n.body}</p>
                {n.caseId !== null && (
                  <p className="small">
                    <Link href={`/me/cases/${n.caseId}`}>查看办件</Link>
                  </p>
                )}
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
