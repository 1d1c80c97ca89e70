/**
 * 待遇参数: per benefit kind the version in force and its history (effective dates, who published,
 * the seed's wording, whether the numbers are examples), and for an agency admin a form that
 * publishes a new version from an effective date. Problems come back from the API field by field.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import type { FieldProblem } from '../../lib/api.ts';
import { fmtDateTime } from '../../lib/format.ts';
import { ErrorSummary, Field, FormActions, Notice, describedBy } from '../../components/Form.tsx';
import { AdminPage, Publisher, StateTag, TextAreaField, todayCn, useAdminForm, type AdminCtx } from './parts.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { Pending } from '../../components/Layout.tsx';
import type { BenefitKindOut, BenefitVersionOut } from './adminApi.ts';

/** common/benefits.ts EXAMPLE_SOURCE (not imported: that module brings zod into the bundle). */
const EXAMPLE_SOURCE = '示例参数（种子未载明）';

const CALCULATORS: Record<string, string> = {
  maternity_allowance: '生育津贴：单位职工月平均工资 ÷ 除数 × 天数',
  capped: '限额支付',
  flat: '定额支付',
  procedure_caps: '按手术项目限额支付',
  manual_reimbursement: '手工报销：起付线、报销比例、封顶线',
};
const DAY_KINDS = [
  ['natural', '顺产'],
  ['caesarean', '剖宫产'],
  ['male_nursing', '男职工护理假'],
] as const;

type P = Record<string, any>;
const yuan = (n: unknown) =>
  typeof n === 'number' ? `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` : '未载明';
const pct = (n: unknown) => (typeof n === 'number' ? `${Math.round(n * 10000) / 100}%` : '未载明');

/** The numbers of one version in a sentence. */
function summary(p: P): ReactNode {
  switch (p.calculator) {
    case 'maternity_allowance': {
      const days = DAY_KINDS.map(([k, l]) => `${l} ${p.days?.[k] ? `${p.days[k]} 天` : '未载明'}`).join('，');
      return `月平均工资 ÷ ${p.divisor}；${days}`;
    }
    case 'capped':
      return `限额 ${yuan(p.cap)}（${p.cumulative ? '累计' : '每次'}）`;
    case 'flat':
      return `定额 ${yuan(p.amount)}（${p.per}）`;
    case 'procedure_caps':
      return (p.procedures as { label: string; cap: number }[]).map((x) => `${x.label} ${yuan(x.cap)}`).join('；');
    case 'manual_reimbursement':
      return `起付线 ${yuan(p.deductible)}，报销比例 ${pct(p.ratio)}，封顶线 ${yuan(p.ceiling)}${p.partlySelfPayRatio !== undefined ? `，乙类先行自付 ${pct(p.partlySelfPayRatio)}` : ''}`;
    default:
      return '';
  }
}

export function BenefitsPage() {
  return <AdminPage title="待遇参数">{(ctx) => <Benefits ctx={ctx} />}</AdminPage>;
}

function Benefits({ ctx }: { ctx: AdminCtx }) {
  const { data, error, reload: load } = useLoad(() => ctx.api.benefits(), [ctx.api]);
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string>('');

  if (error || !data) return <Pending error={error} retry={load} />;
  return (
    <>
      <p className="muted">待遇按办理当天生效的最高版本计算。新版本的生效日期不能早于今天；种子未载明的数字标为“示例参数”，不会用于实际支付。</p>
      {done && <Notice kind="ok">{done}</Notice>}
      {data.benefits.length === 0 && <p className="empty">本机构没有待遇计算参数。</p>}
      {data.benefits.map((b) => (
        <article key={b.benefit} className="panel admin-benefit" aria-labelledby={`bh-${b.benefit}`}>
          <h2 id={`bh-${b.benefit}`}>
            {b.label} <span className="muted small mono">{b.benefit}</span>
          </h2>
          <p className="muted small">
            {CALCULATORS[b.calculator] ?? b.calculator} · 适用事项 {b.items.join('、')}
          </p>
          <InForce b={b} />
          {data.canPublish &&
            (open === b.benefit ? (
              <PublishForm
                key={`${b.benefit}-${b.latest}`}
                ctx={ctx}
                b={b}
                today={data.today}
                onCancel={() => setOpen(null)}
                onDone={async (msg) => {
                  await load();
                  setOpen(null);
                  setDone(msg);
                }}
              />
            ) : (
              <div className="actions-row">
                <button
                  type="button"
                  className="btn secondary"
                  onClick={() => {
                    setDone('');
                    setOpen(b.benefit);
                  }}
                >
                  发布{b.label}参数新版本
                </button>
              </div>
            ))}
          <History b={b} />
        </article>
      ))}
    </>
  );
}

function InForce({ b }: { b: BenefitKindOut }) {
  const v = b.versions.find((x) => x.version === b.inForce);
  if (!v)
    return (
      <p className="notice info" role="status">
        今天没有生效的版本。
      </p>
    );
  return (
    <dl className="kv admin-kv">
      <dt>现行版本</dt>
      <dd>
        第 {v.version} 版 <StateTag state={v.state} /> {v.example && <span className="tag warn">示例参数</span>}
      </dd>
      <dt>生效日期</dt>
      <dd>
        {v.effectiveFrom}
        {v.effectiveTo ? ` 至 ${v.effectiveTo}` : ' 起'}
      </dd>
      <dt>参数</dt>
      <dd>{summary(v.params)}</dd>
      <dt>依据</dt>
      <dd>{v.source}</dd>
      {v.note && (
        <>
          <dt>说明</dt>
          <dd>{v.note}</dd>
        </>
      )}
      <dt>发布</dt>
      <dd>
        <Publisher origin={v.origin} by={v.publishedBy} /> · {fmtDateTime(v.publishedAt)}
      </dd>
    </dl>
  );
}

function History({ b }: { b: BenefitKindOut }) {
  return (
    <details className="admin-history" open={b.versions.length > 1}>
      <summary>版本历史（{b.versions.length}）</summary>
      <div className="table-wrap">
        <table className="stack">
          <caption className="sr-only">{b.label}参数的版本历史</caption>
          <thead>
            <tr>
              <th scope="col">版本</th>
              <th scope="col">状态</th>
              <th scope="col">生效日期</th>
              <th scope="col">参数</th>
              <th scope="col">依据</th>
              <th scope="col">发布</th>
            </tr>
          </thead>
          <tbody>
            {b.versions.map((v: BenefitVersionOut) => (
              <tr key={v.version}>
                <td data-label="版本" className="nowrap">
                  第 {v.version} 版
                </td>
                <td data-label="状态">
                  <StateTag state={v.state} /> {v.example && <span className="tag warn">示例参数</span>}
                </td>
                <td data-label="生效日期" className="nowrap">
                  {v.effectiveFrom}
                  {v.effectiveTo ? ` 至 ${v.effectiveTo}` : ' 起'}
                </td>
                <td data-label="参数">{summary(v.params)}</td>
                <td data-label="依据">{v.source}</td>
                <td data-label="发布">
                  <Publisher origin={v.origin} by={v.publishedBy} />
                  <br />
                  <span className="muted small nowrap">{fmtDateTime(v.publishedAt)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

// ---------------------------------------------------------------------------------------------
// The publish form: starts from the latest version, numbers as text until sent.

type Values = Record<string, string | boolean>;

function initialValues(p: P, today: string): Values {
  const v: Values = {
    effectiveFrom: today,
    effectiveTo: '',
    source: p.example ? '' : p.source,
    example: false,
    note: '',
    items: (p.items as string[]).join(', '),
  };
  const num = (x: unknown) => (typeof x === 'number' ? String(x) : '');
  switch (p.calculator) {
    case 'maternity_allowance':
      v.divisor = num(p.divisor);
      for (const [k] of DAY_KINDS) v[`days.${k}`] = num(p.days?.[k]);
      break;
    case 'capped':
      v.cap = num(p.cap);
      v.cumulative = Boolean(p.cumulative);
      break;
    case 'flat':
      v.amount = num(p.amount);
      v.per = String(p.per ?? '');
      break;
    case 'procedure_caps':
      (p.procedures as { code: string; label: string; cap: number }[]).forEach((x, i) => {
        v[`procedures.${i}.code`] = x.code;
        v[`procedures.${i}.label`] = x.label;
        v[`procedures.${i}.cap`] = num(x.cap);
      });
      break;
    case 'manual_reimbursement':
      for (const k of ['deductible', 'ratio', 'ceiling', 'partlySelfPayRatio']) v[k] = num(p[k]);
      break;
  }
  return v;
}

/** A number as typed (blank → left out; not a number → sent as typed so the API names the problem). */
function numberOf(s: string | boolean | undefined): number | string | undefined {
  const t = String(s ?? '').trim();
  if (!t) return undefined;
  const n = Number(t.replace(/[,，]/g, ''));
  return Number.isFinite(n) ? n : t;
}

function buildBody(base: P, v: Values, version: number): P {
  const body: P = {
    benefit: base.benefit,
    label: base.label,
    calculator: base.calculator,
    items: String(v.items)
      .split(/[,，、\s]+/)
      .map((x) => x.trim().toUpperCase())
      .filter(Boolean),
    version,
    effectiveFrom: v.effectiveFrom,
    source: v.example ? EXAMPLE_SOURCE : String(v.source).trim(),
    example: Boolean(v.example),
  };
  if (String(v.effectiveTo).trim()) body.effectiveTo = v.effectiveTo;
  if (String(v.note).trim()) body.note = String(v.note).trim();
  const put = (k: string) => {
    const n = numberOf(v[k]);
    if (n !== undefined) body[k] = n;
  };
  switch (base.calculator) {
    case 'maternity_allowance':
      put('divisor');
      body.days = Object.fromEntries(DAY_KINDS.flatMap(([k]) => (numberOf(v[`days.${k}`]) === undefined ? [] : [[k, numberOf(v[`days.${k}`])]])));
      break;
    case 'capped':
      put('cap');
      body.cumulative = Boolean(v.cumulative);
      break;
    case 'flat':
      put('amount');
      body.per = String(v.per ?? '').trim();
      break;
    case 'procedure_caps': {
      const rows = Object.keys(v)
        .map((k) => /^procedures\.(\d+)\.code$/.exec(k)?.[1])
        .filter((x): x is string => x !== undefined)
        .map(Number)
        .sort((a, b) => a - b);
      body.procedures = rows.map((i) => ({
        code: String(v[`procedures.${i}.code`]).trim(),
        label: String(v[`procedures.${i}.label`]).trim(),
        cap: numberOf(v[`procedures.${i}.cap`]),
      }));
      break;
    }
    case 'manual_reimbursement':
      for (const k of ['deductible', 'ratio', 'ceiling', 'partlySelfPayRatio']) put(k);
      break;
  }
  return body;
}

const LABELS: Record<string, string> = {
  version: '版本号',
  effectiveFrom: '生效日期',
  effectiveTo: '截止日期',
  source: '依据',
  example: '示例参数',
  note: '说明',
  items: '适用事项',
  divisor: '除数',
  'days.natural': '顺产天数',
  'days.caesarean': '剖宫产天数',
  'days.male_nursing': '男职工护理假天数',
  cap: '限额',
  cumulative: '累计',
  amount: '定额',
  per: '计发单位',
  deductible: '起付线',
  ratio: '报销比例',
  ceiling: '封顶线',
  partlySelfPayRatio: '乙类先行自付比例',
};

/** A problem with one of the items (items.2) is one of the field 适用事项. */
const itemsAsOne = (p: FieldProblem): FieldProblem => (p.field.startsWith('items.') ? { ...p, field: 'items' } : p);

function PublishForm({
  ctx,
  b,
  today,
  onCancel,
  onDone,
}: {
  ctx: AdminCtx;
  b: BenefitKindOut;
  today: string;
  onCancel: () => void;
  onDone: (msg: string) => Promise<void>;
}) {
  const base = (b.versions.find((x) => x.version === b.latest) ?? b.versions[0]!).params as P;
  const version = b.latest + 1;
  const prefix = `bp-${b.benefit}`;
  const {
    v: values,
    set: setValue,
    setProblems,
    busy,
    errors,
    shown,
    send,
  } = useAdminForm<Values>(() => initialValues(base, today || todayCn()), LABELS, itemsAsOne);
  const set = (k: string, val: string | boolean) => setValue(k)(val);
  const id = (k: string) => `${prefix}-${k}`;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(async () => {
      const out = await ctx.api.publishBenefit(buildBody(base, values, version));
      setProblems([]);
      await onDone(
        `已发布${b.label}参数第 ${out.version} 版，${out.effectiveFrom === (today || todayCn()) ? '今天起生效' : `自 ${out.effectiveFrom} 起生效`}。`,
      );
    });
  };

  const text = (k: string, label: string, opts: { required?: boolean; help?: ReactNode; unit?: string; mode?: 'decimal' | 'numeric' } = {}) => (
    <Field id={id(k)} label={label} required={opts.required} help={opts.help} error={errors[k]}>
      <span className={opts.unit ? 'with-unit' : undefined}>
        <input
          id={id(k)}
          type="text"
          inputMode={opts.mode}
          className={opts.mode ? 'short' : undefined}
          value={String(values[k] ?? '')}
          onChange={(e) => set(k, e.target.value)}
          aria-invalid={errors[k] ? true : undefined}
          aria-describedby={describedBy(id(k), opts.help, errors[k])}
        />
        {opts.unit && <span aria-hidden="true">{opts.unit}</span>}
      </span>
    </Field>
  );
  const check = (k: string, label: string, help?: string) => (
    <div className={`field${errors[k] ? ' has-error' : ''}`}>
      <label className="opt" htmlFor={id(k)}>
        <input
          id={id(k)}
          type="checkbox"
          checked={Boolean(values[k])}
          onChange={(e) => set(k, e.target.checked)}
          aria-describedby={describedBy(id(k), help, errors[k])}
        />
        {label}
      </label>
      {help && (
        <p className="help" id={`${id(k)}-help`}>
          {help}
        </p>
      )}
      {errors[k] && (
        <p className="field-error" id={`${id(k)}-err`}>
          {errors[k]}
        </p>
      )}
    </div>
  );
  const procRows = Object.keys(values)
    .map((k) => /^procedures\.(\d+)\.code$/.exec(k)?.[1])
    .filter((x): x is string => x !== undefined)
    .map(Number)
    .sort((a, c) => a - c);

  return (
    <form className="admin-form" onSubmit={submit} noValidate aria-labelledby={`${prefix}-title`}>
      <h3 id={`${prefix}-title`}>
        发布{b.label}参数 <span id={id('version')}>第 {version} 版</span>
      </h3>
      <ErrorSummary title="未能发布，请修改以下内容：" problems={shown} prefix={prefix} />
      {errors.version && <p className="field-error">{errors.version}</p>}
      <div className="admin-grid">
        <Field id={id('effectiveFrom')} label="生效日期" required help="不能早于今天。" error={errors.effectiveFrom}>
          <input
            id={id('effectiveFrom')}
            type="date"
            min={today}
            value={String(values.effectiveFrom)}
            onChange={(e) => set('effectiveFrom', e.target.value)}
            aria-invalid={errors.effectiveFrom ? true : undefined}
            aria-describedby={describedBy(id('effectiveFrom'), true, errors.effectiveFrom)}
          />
        </Field>
        <Field id={id('effectiveTo')} label="截止日期" help="不填表示长期有效。" error={errors.effectiveTo}>
          <input
            id={id('effectiveTo')}
            type="date"
            min={String(values.effectiveFrom)}
            value={String(values.effectiveTo)}
            onChange={(e) => set('effectiveTo', e.target.value)}
            aria-invalid={errors.effectiveTo ? true : undefined}
            aria-describedby={describedBy(id('effectiveTo'), true, errors.effectiveTo)}
          />
        </Field>
      </div>

      <fieldset className="admin-fieldset">
        <legend>参数</legend>
        {base.calculator === 'maternity_allowance' && (
          <>
            {text('divisor', '日平均工资除数', { required: true, mode: 'numeric', help: '日平均工资 = 单位职工月平均工资 ÷ 除数（通常为 30）。' })}
            <div className="admin-grid">
              {DAY_KINDS.map(([k, l]) =>
                text(`days.${k}`, `${l}天数`, { mode: 'numeric', unit: '天', help: '种子未载明的不填，计算时会提示缺少参数。' }),
              )}
            </div>
          </>
        )}
        {base.calculator === 'capped' && (
          <>
            {text('cap', '限额', { required: true, mode: 'decimal', unit: '元' })}
            {check('cumulative', '按累计金额限额（不勾选为每次限额）')}
          </>
        )}
        {base.calculator === 'flat' && (
          <>
            {text('amount', '定额', { required: true, mode: 'decimal', unit: '元' })}
            {text('per', '计发单位', { required: true, help: '例如：每胎次。' })}
          </>
        )}
        {base.calculator === 'procedure_caps' &&
          procRows.map((i) => (
            <div key={i} className="admin-grid admin-proc">
              {text(`procedures.${i}.label`, `项目 ${i + 1} 名称`, { required: true })}
              {text(`procedures.${i}.cap`, `项目 ${i + 1} 限额`, { required: true, mode: 'decimal', unit: '元' })}
            </div>
          ))}
        {base.calculator === 'manual_reimbursement' && (
          <div className="admin-grid">
            {text('deductible', '起付线', { required: true, mode: 'decimal', unit: '元' })}
            {text('ratio', '报销比例', { required: true, mode: 'decimal', help: '0 到 1 之间的小数，0.8 表示 80%。' })}
            {text('ceiling', '封顶线', { required: true, mode: 'decimal', unit: '元' })}
            {text('partlySelfPayRatio', '乙类先行自付比例', { mode: 'decimal', help: '0 到 1 之间的小数，可不填。' })}
          </div>
        )}
      </fieldset>

      {check('example', `这些数字是示例参数（种子未载明）`, '勾选后按示例参数发布：计算结果会注明“示例”，不会用于实际支付。')}
      {!values.example && (
        <TextAreaField
          prefix={prefix}
          name="source"
          label="依据"
          required
          help="发布这些数字所依据的文件，如文号或通知名称。"
          rows={2}
          maxLength={500}
          value={String(values.source)}
          onChange={setValue('source')}
          error={errors.source}
        />
      )}
      {text('items', '适用事项编码', { required: true, help: '多个用逗号分隔。' })}
      <TextAreaField
        prefix={prefix}
        name="note"
        label="说明"
        rows={2}
        maxLength={500}
        value={String(values.note)}
        onChange={setValue('note')}
        error={errors.note}
      />
      <FormActions busy={busy} label={`发布第 ${version} 版`} busyLabel="正在发布…" onCancel={onCancel} />
    </form>
  );
}
