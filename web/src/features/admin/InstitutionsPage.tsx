/**
 * 定点医药机构: the agency's designated hospitals and pharmacies (agreement period and status),
 * registering one, and per institution its 科室 and 医保医师 备案 (added, and ended on a date).
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { asApiError } from '../../lib/api.ts';
import { Link, navigate } from '../../lib/router.tsx';
import { ErrorSummary, FormActions, Notice } from '../../components/Form.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import {
  INSTITUTION_KINDS,
  INSTITUTION_KIND_LABELS,
  INSTITUTION_STAFF_LABELS,
  INSTITUTION_STATUSES,
  INSTITUTION_STATUS_LABELS,
  type InstitutionKind,
  type InstitutionStatus,
} from '../../../../common/admin.ts';
import { ActionCell, AdminPage, InputField, SelectField, problemsOf, todayCn, useAdminForm, type AdminCtx } from './parts.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { Pending } from '../../components/Layout.tsx';
import type { InstitutionDetailOut, InstitutionOut, InstitutionStaffOut } from './adminApi.ts';

const LABELS: Record<string, string> = {
  code: '机构编码',
  name: '名称',
  kind: '类型',
  agreementFrom: '协议开始日期',
  agreementTo: '协议结束日期',
  status: '协议状态',
  department: '所在科室',
  title: '职称',
  validFrom: '备案生效日期',
  validTo: '终止日期',
};

function period(i: Pick<InstitutionOut, 'agreementFrom' | 'agreementTo'>): string {
  if (!i.agreementFrom && !i.agreementTo) return '未登记';
  return `${i.agreementFrom ?? '—'} 至 ${i.agreementTo ?? '长期'}`;
}

function ValidTag({ i }: { i: InstitutionOut }) {
  if (i.agreementValid) return <span className="tag ok">协议有效</span>;
  return <span className="tag warn">{i.status !== 'active' ? INSTITUTION_STATUS_LABELS[i.status] : '不在协议期内'}</span>;
}

export function InstitutionsPage() {
  return <AdminPage title="定点医药机构">{(ctx) => <Institutions ctx={ctx} />}</AdminPage>;
}

function Institutions({ ctx }: { ctx: AdminCtx }) {
  const { data, error, reload: load } = useLoad(() => ctx.api.institutions(), [ctx.api]);
  const [q, setQ] = useState('');
  const [adding, setAdding] = useState(false);
  const fid = useId();
  if (error || !data) return <Pending error={error} retry={load} />;
  const t = q.trim().toUpperCase();
  const rows = data.items.filter((i) => !t || i.code.includes(t) || i.name.toUpperCase().includes(t));
  return (
    <>
      <p className="muted">
        机构编码为 H（医疗机构）或 P（零售药店）加 6 位区划代码和顺序号，须在本机构辖区内。协议期内且状态为“协议履行中”的机构才是有效的定点机构。
      </p>
      {data.canEdit &&
        (adding ? (
          <NewInstitution ctx={ctx} today={data.today} onCancel={() => setAdding(false)} />
        ) : (
          <div className="actions-row">
            <button type="button" className="btn" onClick={() => setAdding(true)}>
              登记定点医药机构
            </button>
          </div>
        ))}
      <form className="admin-filter" role="search" aria-label="筛选定点医药机构" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={`${fid}-q`}>机构编码或名称</label>
          <input id={`${fid}-q`} type="search" value={q} maxLength={50} onChange={(e) => setQ(e.target.value)} />
        </div>
      </form>
      <div className="table-wrap">
        <table className="stack admin-table">
          <caption>
            共 {rows.length} 家{rows.length !== data.items.length ? `（全部 ${data.items.length} 家）` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">机构编码</th>
              <th scope="col">名称</th>
              <th scope="col">类型</th>
              <th scope="col">协议期限</th>
              <th scope="col">状态</th>
              <th scope="col">科室 / 医师</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  {data.items.length ? '没有符合条件的机构。' : '本机构还没有登记定点医药机构。'}
                </td>
              </tr>
            )}
            {rows.map((i) => (
              <tr key={i.code}>
                <td data-label="机构编码" className="nowrap">
                  <Link className="mono" href={ctx.href(`/admin/institutions/${i.code}`)}>
                    {i.code}
                  </Link>
                </td>
                <td data-label="名称">{i.name}</td>
                <td data-label="类型">{INSTITUTION_KIND_LABELS[i.kind]}</td>
                <td data-label="协议期限" className="nowrap">
                  {period(i)}
                </td>
                <td data-label="状态">
                  <ValidTag i={i} />
                </td>
                <td data-label="科室 / 医师" className="nowrap">
                  {i.departments} / {i.physicians}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function KindSelect({ prefix, value, onChange, error }: { prefix: string; value: string; onChange: (v: string) => void; error?: string }) {
  return (
    <SelectField
      prefix={prefix}
      name="kind"
      label="机构类型"
      required
      value={value}
      onChange={onChange}
      error={error}
      placeholder="请选择"
      options={INSTITUTION_KINDS.map((k) => [k, INSTITUTION_KIND_LABELS[k]] as const)}
    />
  );
}

type Agreement = { agreementFrom: string; agreementTo: string };

/** 机构名称, as registered and as changed. */
function NameField({ prefix, value, onChange, error }: { prefix: string; value: string; onChange: (v: string) => void; error?: string }) {
  return <InputField prefix={prefix} name="name" label="机构名称" required value={value} onChange={onChange} error={error} maxLength={100} />;
}

/** The agreement period's two dates (the end may be left open), as registered and as changed. */
function AgreementFields({
  prefix,
  v,
  set,
  errors,
}: {
  prefix: string;
  v: Agreement;
  set: (k: keyof Agreement) => (val: string) => void;
  errors: Record<string, string>;
}) {
  return (
    <>
      <InputField
        prefix={prefix}
        name="agreementFrom"
        label="协议开始日期"
        type="date"
        required
        value={v.agreementFrom}
        onChange={set('agreementFrom')}
        error={errors.agreementFrom}
      />
      <InputField
        prefix={prefix}
        name="agreementTo"
        label="协议结束日期"
        type="date"
        min={v.agreementFrom}
        value={v.agreementTo}
        onChange={set('agreementTo')}
        error={errors.agreementTo}
        help="不填表示长期。"
      />
    </>
  );
}

function NewInstitution({ ctx, today, onCancel }: { ctx: AdminCtx; today: string; onCancel: () => void }) {
  const prefix = 'inst-new';
  const { v, set, busy, errors, shown, send } = useAdminForm({ code: '', name: '', kind: '', agreementFrom: today, agreementTo: '' }, LABELS);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(async () => {
      const out = await ctx.api.createInstitution({ ...v, kind: v.kind as InstitutionKind });
      navigate(ctx.href(`/admin/institutions/${out.code}?created=1`));
    });
  };
  return (
    <form className="panel admin-form" onSubmit={submit} noValidate aria-labelledby={`${prefix}-h`}>
      <h2 id={`${prefix}-h`}>登记定点医药机构</h2>
      <ErrorSummary title="未能登记，请修改以下内容：" problems={shown} prefix={prefix} />
      <div className="admin-grid">
        <InputField
          prefix={prefix}
          name="code"
          label="机构编码"
          required
          value={v.code}
          onChange={(x) => set('code')(x.toUpperCase().trim())}
          error={errors.code}
          help="如 H21040200001"
          className="mono"
          maxLength={15}
          autoComplete="off"
          spellCheck={false}
        />
        <KindSelect prefix={prefix} value={v.kind} onChange={set('kind')} error={errors.kind} />
      </div>
      <NameField prefix={prefix} value={v.name} onChange={set('name')} error={errors.name} />
      <div className="admin-grid">
        <AgreementFields prefix={prefix} v={v} set={set} errors={errors} />
      </div>
      <FormActions busy={busy} label="登记" busyLabel="正在登记…" onCancel={onCancel} />
    </form>
  );
}

// ---------------------------------------------------------------------------------------------

export function InstitutionPage({ code }: { code: string }) {
  return (
    <AdminPage title={`定点医药机构 ${code}`} crumbs={[{ href: '/admin/institutions', label: '定点医药机构' }]}>
      {(ctx) => <Institution ctx={ctx} code={code} />}
    </AdminPage>
  );
}

function Institution({ ctx, code }: { ctx: AdminCtx; code: string }) {
  const { data, setData, error, reload: load } = useLoad(() => ctx.api.institution(code), [ctx.api, code]);
  const [msg, setMsg] = useState(() => (new URLSearchParams(location.search).get('created') ? '已登记。可以继续备案科室和医保医师。' : ''));
  const [editing, setEditing] = useState(false);
  const [ending, setEnding] = useState<InstitutionStaffOut | null>(null);
  if (error || !data) return <Pending error={error} retry={load} />;
  const depts = data.staff.filter((s) => s.kind === 'department');
  const docs = data.staff.filter((s) => s.kind === 'physician');
  const done = (text: string) => (d: InstitutionDetailOut) => {
    setData(d);
    setMsg(text);
  };
  return (
    <>
      {msg && <Notice kind="ok">{msg}</Notice>}
      <div className="panel">
        <h2>{data.name}</h2>
        <dl className="kv admin-kv">
          <dt>机构编码</dt>
          <dd className="mono">{data.code}</dd>
          <dt>类型</dt>
          <dd>{INSTITUTION_KIND_LABELS[data.kind]}</dd>
          <dt>协议期限</dt>
          <dd>{period(data)}</dd>
          <dt>状态</dt>
          <dd>
            {INSTITUTION_STATUS_LABELS[data.status]} <ValidTag i={data} />
          </dd>
        </dl>
        {data.canEdit && !editing && (
          <div className="actions-row">
            <button
              type="button"
              className="btn secondary"
              onClick={() => {
                setMsg('');
                setEditing(true);
              }}
            >
              修改机构信息
            </button>
          </div>
        )}
        {editing && (
          <EditInstitution
            ctx={ctx}
            d={data}
            onCancel={() => setEditing(false)}
            onDone={(d) => {
              setEditing(false);
              done('已保存机构信息。')(d);
            }}
          />
        )}
      </div>

      <StaffTable title="科室备案" rows={depts} canEdit={data.canEdit} onEnd={setEnding} today={data.today} />
      <StaffTable title="医保医师备案" physician rows={docs} canEdit={data.canEdit} onEnd={setEnding} today={data.today} />
      {data.canEdit && data.status !== 'terminated' && <AddStaff ctx={ctx} d={data} onDone={(d, text) => done(text)(d)} />}
      <EndStaffDialog
        ctx={ctx}
        code={data.code}
        s={ending}
        today={data.today}
        onClose={() => setEnding(null)}
        onDone={(d, text) => {
          setEnding(null);
          done(text)(d);
        }}
      />
    </>
  );
}

function StaffTable({
  title,
  physician = false,
  rows,
  canEdit,
  onEnd,
  today,
}: {
  title: string;
  /** The 医保医师 table (its columns differ from the departments'). */
  physician?: boolean;
  rows: InstitutionStaffOut[];
  canEdit: boolean;
  onEnd: (s: InstitutionStaffOut) => void;
  today: string;
}) {
  physician = physician || rows[0]?.kind === 'physician';
  return (
    <section className="admin-staff" aria-label={title}>
      <h2>{title}</h2>
      <div className="table-wrap">
        <table className="stack admin-table">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{physician ? '姓名' : '科室'}</th>
              <th scope="col">编码</th>
              {physician && <th scope="col">科室 / 职称</th>}
              <th scope="col">有效期</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={physician ? 5 : 4} className="muted">
                  暂无备案。
                </td>
              </tr>
            )}
            {rows.map((s) => (
              <tr key={s.id} className={s.active ? undefined : 'admin-inactive'}>
                <td data-label={physician ? '姓名' : '科室'}>{s.name}</td>
                <td data-label="编码" className="mono">
                  {s.code ?? '—'}
                </td>
                {physician && <td data-label="科室 / 职称">{[s.department, s.title].filter(Boolean).join(' / ') || '—'}</td>}
                <td data-label="有效期" className="nowrap">
                  {s.validFrom} 至 {s.validTo ?? '长期'}
                  {!s.active && <span className="tag">{s.validTo && s.validTo < today ? '已终止' : '未生效'}</span>}
                </td>
                <ActionCell
                  label="终止备案"
                  ariaLabel={`终止备案：${s.name}`}
                  onClick={canEdit && (s.validTo === null || s.validTo >= today) ? () => onEnd(s) : undefined}
                />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function EditInstitution({
  ctx,
  d,
  onCancel,
  onDone,
}: {
  ctx: AdminCtx;
  d: InstitutionDetailOut;
  onCancel: () => void;
  onDone: (d: InstitutionDetailOut) => void;
}) {
  const prefix = 'inst-edit';
  const { v, set, busy, errors, shown, send } = useAdminForm(
    {
      name: d.name,
      kind: d.kind as string,
      agreementFrom: d.agreementFrom ?? '',
      agreementTo: d.agreementTo ?? '',
      status: d.status as string,
    },
    LABELS,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(async () => {
      onDone(await ctx.api.updateInstitution(d.code, { ...v, kind: v.kind as InstitutionKind, status: v.status as InstitutionStatus }));
    });
  };
  return (
    <form className="admin-form" onSubmit={submit} noValidate aria-labelledby={`${prefix}-h`}>
      <h3 id={`${prefix}-h`}>修改机构信息</h3>
      <ErrorSummary title="未能保存，请修改以下内容：" problems={shown} prefix={prefix} />
      <NameField prefix={prefix} value={v.name} onChange={set('name')} error={errors.name} />
      <div className="admin-grid">
        <KindSelect prefix={prefix} value={v.kind} onChange={set('kind')} error={errors.kind} />
        <SelectField
          prefix={prefix}
          name="status"
          label="协议状态"
          required
          value={v.status}
          onChange={set('status')}
          error={errors.status}
          options={INSTITUTION_STATUSES.map((s) => [s, INSTITUTION_STATUS_LABELS[s]] as const)}
        />
        <AgreementFields prefix={prefix} v={v} set={set} errors={errors} />
      </div>
      <FormActions busy={busy} label="保存" busyLabel="正在保存…" onCancel={onCancel} />
    </form>
  );
}

function AddStaff({ ctx, d, onDone }: { ctx: AdminCtx; d: InstitutionDetailOut; onDone: (d: InstitutionDetailOut, text: string) => void }) {
  const prefix = 'staff-new';
  const empty = { kind: 'department' as 'department' | 'physician', name: '', code: '', department: '', title: '', validFrom: d.today || todayCn() };
  const { v, setV, set, problems, setProblems, busy, errors, send } = useAdminForm(empty);
  const physician = v.kind === 'physician';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(async () => {
      const out = await ctx.api.addStaff(d.code, {
        kind: v.kind,
        name: v.name,
        validFrom: v.validFrom,
        ...(v.code.trim() ? { code: v.code } : {}),
        ...(physician && v.department.trim() ? { department: v.department } : {}),
        ...(physician && v.title.trim() ? { title: v.title } : {}),
      });
      setProblems([]);
      setV({ ...empty, kind: v.kind });
      onDone(out, `已备案${INSTITUTION_STAFF_LABELS[v.kind]}“${v.name.trim()}”。`);
    });
  };
  return (
    <form className="panel admin-form" onSubmit={submit} noValidate aria-labelledby={`${prefix}-h`}>
      <h2 id={`${prefix}-h`}>新增备案</h2>
      <ErrorSummary
        title="未能备案，请修改以下内容："
        problems={problems}
        prefix={prefix}
        labels={{ ...LABELS, name: physician ? '姓名' : '科室名称', code: '编码' }}
      />
      <fieldset className="field choice" id={`${prefix}-kind`}>
        <legend>备案类型</legend>
        {(['department', 'physician'] as const).map((k) => (
          <label key={k} className="opt">
            <input type="radio" name={`${prefix}-kind`} value={k} checked={v.kind === k} onChange={() => set('kind')(k)} />
            {INSTITUTION_STAFF_LABELS[k]}
          </label>
        ))}
      </fieldset>
      <div className="admin-grid">
        <InputField
          prefix={prefix}
          name="name"
          label={physician ? '医师姓名' : '科室名称'}
          required
          value={v.name}
          onChange={set('name')}
          error={errors.name}
          maxLength={50}
        />
        <InputField
          prefix={prefix}
          name="code"
          label={physician ? '医保医师编码' : '科室编码'}
          value={v.code}
          onChange={set('code')}
          error={errors.code}
          maxLength={30}
          className="mono"
          autoComplete="off"
        />
        {physician && (
          <>
            <InputField
              prefix={prefix}
              name="department"
              label="所在科室"
              value={v.department}
              onChange={set('department')}
              error={errors.department}
              maxLength={50}
            />
            <InputField prefix={prefix} name="title" label="职称" value={v.title} onChange={set('title')} error={errors.title} maxLength={30} />
          </>
        )}
        <InputField
          prefix={prefix}
          name="validFrom"
          label="备案生效日期"
          type="date"
          required
          value={v.validFrom}
          onChange={set('validFrom')}
          error={errors.validFrom}
        />
      </div>
      <FormActions busy={busy} label={`备案${INSTITUTION_STAFF_LABELS[v.kind]}`} busyLabel="正在备案…" />
    </form>
  );
}

function EndStaffDialog({
  ctx,
  code,
  s,
  today,
  onClose,
  onDone,
}: {
  ctx: AdminCtx;
  code: string;
  s: InstitutionStaffOut | null;
  today: string;
  onClose: () => void;
  onDone: (d: InstitutionDetailOut, text: string) => void;
}) {
  const [validTo, setValidTo] = useState(today);
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();
  useEffect(() => {
    if (s) {
      setValidTo(today);
      setErr('');
    }
  }, [s, today]);
  const confirm = async () => {
    if (!s) return;
    setBusy(true);
    try {
      onDone(await ctx.api.endStaff(code, s.id, validTo), `已终止“${s.name}”的备案，有效至 ${validTo}。`);
    } catch (e) {
      setErr(problemsOf(e)[0]?.message ?? asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={s !== null} title="终止备案" confirmLabel="确认终止" danger busy={busy} onClose={onClose} onConfirm={() => void confirm()}>
      {s && (
        <p>
          {INSTITUTION_STAFF_LABELS[s.kind]}“{s.name}”的备案将有效至所选日期（含当天），记录保留。
        </p>
      )}
      <div className={`field${err ? ' has-error' : ''}`}>
        <label htmlFor={`${id}-to`}>有效至</label>
        <input
          id={`${id}-to`}
          type="date"
          min={today}
          value={validTo}
          onChange={(e) => setValidTo(e.target.value)}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${id}-err` : undefined}
        />
        {err && (
          <p className="field-error" id={`${id}-err`} role="alert">
            {err}
          </p>
        )}
      </div>
    </Dialog>
  );
}
