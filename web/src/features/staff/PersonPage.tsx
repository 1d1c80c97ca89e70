/**
 * /staff/persons/{id}: 参保人档案 — identity, status and 户籍; enrolments; contributions (continuous
 * months, arrears); the personal account and its last ledger lines; remote filings, chronic
 * certifications, lock-outs and payments; the household and guardian relations (changed here by
 * acceptors, reviewers and agency admins); and the registry history: who changed what, when,
 * through which case. Opening the page is recorded (like opening a case).
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { asApiError } from '../../lib/api.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { fmtDate, fmtDateTime } from '../../lib/format.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { ErrorSummary, Field, FormActions, Notice, describedBy, idProblemText } from '../../components/Form.tsx';
import { ReasonDialog } from '../../components/Dialog.tsx';
import { citizenIdProblem } from '../../../../common/ids.ts';
import { ENROLMENT_STATUS_LABELS, ENROLMENT_TYPE_LABELS } from '../../../../common/registry.ts';
import {
  ADULT_AGE,
  FILING_KIND_LABELS,
  GUARDIAN_BASIS_LABELS,
  GUARDIAN_RELATION_LABELS,
  LEDGER_KIND_LABELS,
  PAYMENT_KIND_LABELS,
  PAYMENT_STATUS_LABELS,
  type GuardianRelation,
} from '../../../../common/persons.ts';
import { personsApi, type GuardianLink, type PersonRecordOut, type RelatedPerson } from './personsApi.ts';
import { byField, None, problemsOf, Section, type Problem } from './personParts.tsx';
import './persons.css';

const SEX = { M: '男', F: '女' } as const;
const EMPLOYMENT = { employed: '在职', flexible: '灵活就业', retired: '退休' } as const;
const yuan = (n: number) => `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export function PersonPage({ id }: { id: number }) {
  return <RequireLogin staff>{() => <Record id={id} />}</RequireLogin>;
}

type Removing = { kind: 'member'; person: RelatedPerson } | { kind: 'guardian'; person: GuardianLink } | null;

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

function Identity({ data }: { data: PersonRecordOut }) {
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

function Enrolments({ data }: { data: PersonRecordOut }) {
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

function Contributions({ data }: { data: PersonRecordOut }) {
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

function Account({ data }: { data: PersonRecordOut }) {
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

function caseLink(caseId: number | null, caseNo: string | null): ReactNode {
  if (caseId) return <Link href={`/staff/cases/${caseId}`}>{caseNo ?? `#${caseId}`}</Link>;
  return caseNo ?? '—';
}

function OtherRecords({ data }: { data: PersonRecordOut }) {
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

function PersonLink({ p }: { p: RelatedPerson }) {
  return (
    <>
      {p.viewable ? <Link href={`/staff/persons/${p.id}`}>{p.name}</Link> : <span>{p.name}</span>} <span className="mono small muted">{p.idNo}</span>
    </>
  );
}

function facts(p: RelatedPerson): string {
  return `${p.age}周岁 · 户籍 ${p.hukouRegion}${p.residencePermitRegion ? ` · 居住证 ${p.residencePermitRegion}` : ''}${p.status === 'deceased' ? ' · 已死亡' : ''}`;
}

function Household({
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

function Guardians({
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

function AddressForm({
  initial,
  existing,
  onCancel,
  submit,
}: {
  initial: string;
  existing: boolean;
  onCancel: () => void;
  submit: (address: string) => Promise<void>;
}) {
  const prefix = 'hh';
  const [address, setAddress] = useState(initial);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const errors = byField(problems);
  const go = async (e: FormEvent) => {
    e.preventDefault();
    if (!address.trim()) {
      setProblems([{ field: 'address', message: '请填写家庭住址。' }]);
      return;
    }
    setBusy(true);
    try {
      await submit(address.trim());
    } catch (err) {
      setProblems(problemsOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="person-form" onSubmit={(e) => void go(e)} noValidate aria-labelledby={`${prefix}-h`}>
      <h3 id={`${prefix}-h`}>{existing ? '修改家庭户地址' : '登记家庭户'}</h3>
      <ErrorSummary title="未能保存，请修改以下内容：" problems={problems} prefix={prefix} />
      <Field
        id={`${prefix}-address`}
        label="家庭住址"
        required
        error={errors.address}
        help={existing ? '将记入每名成员的登记历史。' : '本人为第一名成员。'}
      >
        <input
          id={`${prefix}-address`}
          maxLength={200}
          autoComplete="off"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          aria-invalid={errors.address ? true : undefined}
          aria-describedby={describedBy(`${prefix}-address`, true, errors.address)}
        />
      </Field>
      <FormActions busy={busy} label="保存" busyLabel="正在保存…" onCancel={onCancel} />
    </form>
  );
}

interface PersonFormBody {
  idNo: string;
  name: string;
  hukouRegion?: string;
  residencePermitRegion?: string;
  relation?: GuardianRelation;
  incapacity?: boolean;
  incapacityReason?: string;
}

/** A person named by 公民身份号码 and 姓名 (a household member, or a guardian with the relation and basis). */
function PersonForm({
  title,
  prefix,
  submitLabel,
  guardian,
  onCancel,
  submit,
}: {
  title: string;
  prefix: string;
  submitLabel: string;
  guardian?: { adult: boolean; wardAge: number };
  onCancel: () => void;
  submit: (body: PersonFormBody) => Promise<void>;
}) {
  const [v, setV] = useState({
    idNo: '',
    name: '',
    hukouRegion: '',
    residencePermitRegion: '',
    relation: '' as GuardianRelation | '',
    incapacity: false,
    incapacityReason: '',
  });
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const errors = byField(problems);
  const set = (k: keyof typeof v) => (val: string | boolean) => setV((x) => ({ ...x, [k]: val }));
  const go = async (e: FormEvent) => {
    e.preventDefault();
    const local: Problem[] = [];
    const idp = idProblemText(citizenIdProblem(v.idNo));
    if (!v.idNo) local.push({ field: 'idNo', message: '请填写公民身份号码。' });
    else if (idp) local.push({ field: 'idNo', message: idp });
    if (!v.name.trim()) local.push({ field: 'name', message: '请填写姓名。' });
    if (guardian && !v.relation) local.push({ field: 'relation', message: '请选择与被监护人的关系。' });
    if (guardian && v.incapacity && !v.incapacityReason.trim())
      local.push({ field: 'incapacityReason', message: '认定为无民事行为能力的，请写明依据（如法院判决书文号）。' });
    if (local.length) {
      setProblems(local);
      return;
    }
    setBusy(true);
    try {
      await submit({
        idNo: v.idNo,
        name: v.name.trim(),
        hukouRegion: v.hukouRegion || undefined,
        residencePermitRegion: v.residencePermitRegion || undefined,
        ...(guardian
          ? {
              relation: v.relation as GuardianRelation,
              incapacity: v.incapacity,
              ...(v.incapacity ? { incapacityReason: v.incapacityReason.trim() } : {}),
            }
          : {}),
      });
    } catch (err) {
      setProblems(problemsOf(err));
    } finally {
      setBusy(false);
    }
  };
  const input = (
    name: 'idNo' | 'name' | 'hukouRegion' | 'residencePermitRegion',
    label: string,
    opts: { required?: boolean; help?: string; mono?: boolean; max: number },
  ) => (
    <Field id={`${prefix}-${name}`} label={label} required={opts.required} error={errors[name]} help={opts.help}>
      <input
        id={`${prefix}-${name}`}
        className={opts.mono ? 'mono' : undefined}
        maxLength={opts.max}
        autoComplete="off"
        spellCheck={false}
        inputMode={name === 'hukouRegion' || name === 'residencePermitRegion' ? 'numeric' : undefined}
        value={v[name]}
        onChange={(e) => set(name)(name === 'idNo' ? e.target.value.toUpperCase().trim() : e.target.value)}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={describedBy(`${prefix}-${name}`, opts.help, errors[name])}
      />
    </Field>
  );
  return (
    <form className="person-form" onSubmit={(e) => void go(e)} noValidate aria-labelledby={`${prefix}-h`}>
      <h3 id={`${prefix}-h`}>{title}</h3>
      <ErrorSummary title="未能登记，请修改以下内容：" problems={problems} prefix={prefix} />
      <div className="person-form-grid">
        {input('idNo', guardian ? '监护人公民身份号码' : '公民身份号码', { required: true, mono: true, max: 18 })}
        {input('name', guardian ? '监护人姓名' : '姓名', { required: true, max: 30, help: '须与身份证件一致。' })}
      </div>
      {guardian && (
        <fieldset
          className={`field choice${errors.relation ? ' has-error' : ''}`}
          id={`${prefix}-relation`}
          aria-describedby={errors.relation ? `${prefix}-relation-err` : undefined}
        >
          <legend>
            关系
            <span className="req" aria-hidden="true">
              *
            </span>
          </legend>
          {(Object.keys(GUARDIAN_RELATION_LABELS) as GuardianRelation[]).map((r) => (
            <label key={r} className="opt">
              <input type="radio" name={`${prefix}-relation`} value={r} checked={v.relation === r} onChange={() => set('relation')(r)} />
              {GUARDIAN_RELATION_LABELS[r]}
            </label>
          ))}
          {errors.relation && (
            <p className="field-error" id={`${prefix}-relation-err`}>
              {errors.relation}
            </p>
          )}
        </fieldset>
      )}
      {guardian && (guardian.adult || errors.incapacity) && (
        <div className={`field${errors.incapacity ? ' has-error' : ''}`}>
          <label className="opt">
            <input
              type="checkbox"
              id={`${prefix}-incapacity`}
              checked={v.incapacity}
              onChange={(e) => set('incapacity')(e.target.checked)}
              aria-describedby={`${prefix}-incapacity-help${errors.incapacity ? ` ${prefix}-incapacity-err` : ''}`}
            />
            被监护人为无民事行为能力人
          </label>
          <p className="help" id={`${prefix}-incapacity-help`}>
            被监护人已满{ADULT_AGE}周岁（{guardian.wardAge}周岁）：成年人须经认定为无民事行为能力并写明依据，才能登记监护人。
          </p>
          {errors.incapacity && (
            <p className="field-error" id={`${prefix}-incapacity-err`}>
              {errors.incapacity}
            </p>
          )}
        </div>
      )}
      {guardian && v.incapacity && (
        <Field
          id={`${prefix}-incapacityReason`}
          label="认定依据"
          required
          error={errors.incapacityReason}
          help="如法院宣告无民事行为能力的判决书文号。"
        >
          <textarea
            id={`${prefix}-incapacityReason`}
            rows={2}
            maxLength={200}
            value={v.incapacityReason}
            onChange={(e) => set('incapacityReason')(e.target.value)}
            aria-invalid={errors.incapacityReason ? true : undefined}
            aria-describedby={describedBy(`${prefix}-incapacityReason`, true, errors.incapacityReason)}
          />
        </Field>
      )}
      <details className="person-more" open={!!(errors.hukouRegion || errors.residencePermitRegion || v.hukouRegion || v.residencePermitRegion)}>
        <summary>登记系统中没有此人时：户籍地与居住证</summary>
        <div className="person-form-grid">
          {input('hukouRegion', '户籍地区划代码', { max: 6, mono: true, help: '6位代码；不填按身份号码前6位登记。' })}
          {input('residencePermitRegion', '居住证区划代码', { max: 6, mono: true, help: '持有居住证时填写，例如 210202。' })}
        </div>
      </details>
      <FormActions busy={busy} label={submitLabel} busyLabel="正在登记…" onCancel={onCancel} />
    </form>
  );
}

function History({ data }: { data: PersonRecordOut }) {
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
