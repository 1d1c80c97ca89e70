/**
 * /staff/persons/{id}: 参保人档案 — identity, status and 户籍; enrolments; contributions (continuous
 * months, arrears); the personal account and its last ledger lines; remote filings, chronic
 * certifications, lock-outs and payments; the household and guardian relations (changed here by
 * acceptors, reviewers and agency admins); and the registry history: who changed what, when,
 * through which case. Opening the page is recorded (like opening a case).
 */
import { useEffect, useState } from 'react';
import { asApiError } from '../../lib/api.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';
import { ReasonDialog } from '../../components/Dialog.tsx';
import { GUARDIAN_RELATION_LABELS } from '../../../../common/persons.ts';
import { personsApi, type PersonRecordOut } from './personsApi.ts';
import type { Removing } from './person-record-parts.ts';
import { Identity, Enrolments, Contributions, Account, OtherRecords } from './PersonRecordSections.tsx';
import { Household, Guardians } from './PersonRelations.tsx';
import { History } from './PersonHistory.tsx';
import './persons.css';

export function PersonPage({ id }: { id: number }) {
  return <RequireLogin staff>{() => <Record id={id} />}</RequireLogin>;
}

function Record({ id }: { id: number }) {
  const { data, setData, error, reload: load } = useLoad(() => personsApi.record(id), [id]);
  const [msg, setMsg] = useState('');
  const [removing, setRemoving] = useState<Removing>(null);
  const [removeError, setRemoveError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (data) document.title = `${data.person.name} · 参保人档案`;
  }, [data]);

  if (error)
    return (
      <section className="staff persons">
        <Crumbs items={[{ href: '/staff', label: '工作台' }, { href: '/staff/persons', label: '参保人档案' }, { label: '档案' }]} />
        <ErrorBox message={error.message} retry={() => void load()}>
          <Link href="/staff/persons">重新查找</Link>
        </ErrorBox>
      </section>
    );
  if (!data) return <Loading />;
  const p = data.person;
  const done = (r: PersonRecordOut, text: string) => {
    setData(r);
    setMsg(text);
  };
  const remove = async (reason: string) => {
    if (!removing) return;
    setBusy(true);
    try {
      if (removing.kind === 'member') {
        const r = await personsApi.removeMember(id, removing.person.id, reason);
        done(r, `已将 ${removing.person.name} 移出家庭户。`);
      } else {
        const r = await personsApi.removeGuardian(id, removing.person.id, reason);
        done(r, `已解除 ${removing.person.name} 对 ${p.name} 的监护关系登记。`);
      }
      setRemoving(null);
      setRemoveError('');
    } catch (e) {
      setRemoveError(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="staff persons person-page">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { href: '/staff/persons', label: '参保人档案' }, { label: p.name }]} />
      <div className="person-title">
        <h1>{p.name}</h1>
        <span className={`tag${p.status === 'deceased' ? ' warn' : ' ok'}`}>{p.status === 'deceased' ? '死亡' : '正常'}</span>
        {p.badCredit && <span className="tag warn">有失信记录</span>}
      </div>
      {msg && <Notice kind="ok">{msg}</Notice>}
      <Identity data={data} />
      <Enrolments data={data} />
      <Contributions data={data} />
      <Account data={data} />
      <OtherRecords data={data} />
      <Household
        data={data}
        onDone={done}
        onRemove={(m) => {
          setRemoveError('');
          setRemoving({ kind: 'member', person: m });
        }}
      />
      <Guardians
        data={data}
        onDone={done}
        onRemove={(g) => {
          setRemoveError('');
          setRemoving({ kind: 'guardian', person: g });
        }}
      />
      <History data={data} />
      <ReasonDialog
        open={removing !== null}
        title={removing?.kind === 'member' ? '移出家庭户' : '解除监护关系登记'}
        intro={
          removing && (
            <p>
              {removing.kind === 'member'
                ? `将 ${removing.person.name} 移出 ${data.household?.address ?? ''} 家庭户。`
                : `解除 ${removing.person.name}（${GUARDIAN_RELATION_LABELS[removing.person.relation]}）对 ${p.name} 的监护关系登记。`}
              原因将记入登记历史。
            </p>
          )
        }
        label="原因"
        busy={busy}
        error={removeError}
        onClose={() => setRemoving(null)}
        onSubmit={(reason) => void remove(reason)}
      />
    </section>
  );
}
