/** The person record page's household and guardian relations. */
import { useState } from 'react';
import { fmtDate } from '../../lib/format.ts';
import { ADULT_AGE, GUARDIAN_BASIS_LABELS, GUARDIAN_RELATION_LABELS } from '../../../../common/persons.ts';
import { personsApi, type GuardianLink, type PersonRecordOut, type RelatedPerson } from './personsApi.ts';
import { None, Section } from './personParts.tsx';
import { PersonLink, facts } from './PersonRecordSections.tsx';
import { AddressForm, PersonForm } from './PersonForms.tsx';

export function Household({
  data,
  onDone,
  onRemove,
}: {
  data: PersonRecordOut;
  onDone: (r: PersonRecordOut, msg: string) => void;
  onRemove: (m: RelatedPerson) => void;
}) {
  const [open, setOpen] = useState<'address' | 'member' | null>(null);
  const h = data.household;
  const id = data.person.id;
  const action =
    data.canEdit && open === null ? (
      <div className="actions-row person-sec-actions">
        <button type="button" className="btn small secondary" onClick={() => setOpen('address')}>
          {h ? '修改地址' : '登记家庭户'}
        </button>
        {h && (
          <button type="button" className="btn small secondary" onClick={() => setOpen('member')}>
            添加成员
          </button>
        )}
      </div>
    ) : undefined;
  return (
    <Section id="sec-household" title="家庭户" action={action}>
      {!h ? (
        <None>尚未登记家庭户。</None>
      ) : (
        <>
          <p>
            住址：{h.address ?? '未填写'}
            {h.recordedBy && <span className="small muted">（{h.recordedBy} 登记）</span>}
          </p>
          <ul className="person-rel">
            {h.members.map((m) => (
              <li key={m.id}>
                <div>
                  <PersonLink p={m} />
                  {m.self && <span className="tag">本人</span>}
                  <p className="small muted">{facts(m)}</p>
                </div>
                {data.canEdit && (
                  <button type="button" className="btn small secondary" onClick={() => onRemove(m)} aria-label={`移出家庭户：${m.name}`}>
                    移出
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {open === 'address' && (
        <AddressForm
          initial={h?.address ?? ''}
          existing={!!h}
          onCancel={() => setOpen(null)}
          submit={async (address) => {
            const r = h ? await personsApi.updateHousehold(id, { address }) : await personsApi.createHousehold(id, { address });
            setOpen(null);
            onDone(r, h ? '家庭户地址已修改。' : '家庭户已登记。');
          }}
        />
      )}
      {open === 'member' && (
        <PersonForm
          title="添加家庭户成员"
          prefix="member"
          submitLabel="添加成员"
          onCancel={() => setOpen(null)}
          submit={async (body) => {
            const r = await personsApi.addMember(id, body);
            setOpen(null);
            onDone(r, `已将 ${body.name} 添加为家庭户成员。`);
          }}
        />
      )}
    </Section>
  );
}

export function Guardians({
  data,
  onDone,
  onRemove,
}: {
  data: PersonRecordOut;
  onDone: (r: PersonRecordOut, msg: string) => void;
  onRemove: (g: GuardianLink) => void;
}) {
  const [open, setOpen] = useState(false);
  const p = data.person;
  const adult = p.age >= ADULT_AGE;
  const line = (g: GuardianLink, removable: boolean) => (
    <li key={g.id}>
      <div>
        <PersonLink p={g} />
        <span className="tag">{GUARDIAN_RELATION_LABELS[g.relation]}</span>
        <p className="small muted">
          {facts(g)} · 依据：{GUARDIAN_BASIS_LABELS[g.basis]}
          {g.basisReason && `（${g.basisReason}）`} · {g.recordedBy ?? '—'} 于 {fmtDate(g.since)} 登记
        </p>
      </div>
      {removable && data.canEdit && (
        <button type="button" className="btn small secondary" onClick={() => onRemove(g)} aria-label={`解除监护关系：${g.name}`}>
          解除
        </button>
      )}
    </li>
  );
  return (
    <Section
      id="sec-guardians"
      title="监护关系"
      action={
        data.canEdit && !open ? (
          <div className="actions-row person-sec-actions">
            <button type="button" className="btn small secondary" onClick={() => setOpen(true)}>
              登记监护人
            </button>
          </div>
        ) : undefined
      }
    >
      <h3>监护人</h3>
      {data.guardians.length === 0 ? <None>没有登记监护人。</None> : <ul className="person-rel">{data.guardians.map((g) => line(g, true))}</ul>}
      {data.wards.length > 0 && (
        <>
          <h3>被监护人</h3>
          <ul className="person-rel">{data.wards.map((g) => line(g, false))}</ul>
        </>
      )}
      {open && (
        <PersonForm
          title={`为 ${p.name} 登记监护人`}
          prefix="guardian"
          submitLabel="登记监护人"
          guardian={{ adult, wardAge: p.age }}
          onCancel={() => setOpen(false)}
          submit={async (body) => {
            const r = await personsApi.addGuardian(p.id, body as Parameters<typeof personsApi.addGuardian>[1]);
            setOpen(false);
            onDone(r, `已登记 ${body.name} 为 ${p.name} 的监护人。`);
          }}
        />
      )}
    </Section>
  );
}
