/** The person record page's forms: the address and the person's own details. */
import { useState, type FormEvent } from 'react';
import { ErrorSummary, Field, FormActions, describedBy, idProblemText } from '../../components/Form.tsx';
import { citizenIdProblem } from '../../../../common/ids.ts';
import { ADULT_AGE, GUARDIAN_RELATION_LABELS, type GuardianRelation } from '../../../../common/persons.ts';
import { byField, problemsOf, type Problem } from './personParts.tsx';

export function AddressForm({
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
export function PersonForm({
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
