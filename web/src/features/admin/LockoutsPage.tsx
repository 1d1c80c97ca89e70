/**
 * 待遇封锁期: the agency's lock-out periods (filter by 公民身份号码 and status), entering one for
 * an insured person, and lifting one early with a date and a reason. While one runs, the rules
 * refuse the items it blocks (e.g. 抚顺 住院费用报销, FS-JB-08).
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { fmtDateTime } from '../../lib/format.ts';
import { ErrorSummary, FormActions, Notice, idProblemText } from '../../components/Form.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { citizenIdProblem } from '../../../../common/ids.ts';
import { LOCKOUT_STATUS_LABELS, type LockoutStatus } from '../../../../common/admin.ts';
import { ActionCell, AdminPage, InputField, TextAreaField, todayCn, useAdminForm, type AdminCtx } from './parts.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { Pending } from '../../components/Layout.tsx';
import type { LockoutOut } from './adminApi.ts';

const LABELS: Record<string, string> = { idNo: '公民身份号码', from: '开始日期', to: '结束日期', reason: '封锁原因', on: '解除日期' };
const STATUS_CLS: Record<LockoutStatus, string> = { active: 'warn', scheduled: 'info', ended: '', lifted: 'ok' };

export function LockoutsPage() {
  return <AdminPage title="待遇封锁期">{(ctx) => <Lockouts ctx={ctx} />}</AdminPage>;
}

function Lockouts({ ctx }: { ctx: AdminCtx }) {
  const [filter, setFilter] = useState({ idNo: '', status: '' });
  const [applied, setApplied] = useState({ idNo: '', status: '' });
  const [msg, setMsg] = useState('');
  const [lifting, setLifting] = useState<LockoutOut | null>(null);
  const [adding, setAdding] = useState(false);
  const fid = useId();
  const {
    data,
    error,
    reload: load,
  } = useLoad(() => ctx.api.lockouts({ idNo: applied.idNo || undefined, status: applied.status || undefined }), [ctx.api, applied], { keep: true });

  return (
    <>
      <p className="muted">
        封锁期内，参保人不能办理住院费用报销等受封锁的待遇事项（按本机构的禁办规则）。提前解除后，自解除日期起恢复办理；原定结束日期保留备查。
      </p>
      {msg && <Notice kind="ok">{msg}</Notice>}
      {data?.canEdit &&
        (adding ? (
          <NewLockout
            ctx={ctx}
            today={data.today}
            onCancel={() => setAdding(false)}
            onDone={async (l) => {
              await load();
              setAdding(false);
              setMsg(`已为 ${l.personName}（${l.idNoMasked}）登记 ${l.from} 至 ${l.to} 的待遇封锁期。`);
            }}
          />
        ) : (
          <div className="actions-row">
            <button
              type="button"
              className="btn"
              onClick={() => {
                setMsg('');
                setAdding(true);
              }}
            >
              登记待遇封锁期
            </button>
          </div>
        ))}
      <h2>封锁期记录</h2>
      <form
        className="admin-filter"
        role="search"
        aria-label="筛选待遇封锁期"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ idNo: filter.idNo.trim().toUpperCase(), status: filter.status });
        }}
      >
        <div className="field">
          <label htmlFor={`${fid}-id`}>公民身份号码</label>
          <input
            id={`${fid}-id`}
            className="mono"
            maxLength={18}
            autoComplete="off"
            value={filter.idNo}
            onChange={(e) => setFilter((f) => ({ ...f, idNo: e.target.value }))}
          />
        </div>
        <div className="field">
          <label htmlFor={`${fid}-st`}>状态</label>
          <select id={`${fid}-st`} value={filter.status} onChange={(e) => setFilter((f) => ({ ...f, status: e.target.value }))}>
            <option value="">全部</option>
            {(Object.keys(LOCKOUT_STATUS_LABELS) as LockoutStatus[]).map((s) => (
              <option key={s} value={s}>
                {LOCKOUT_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="admin-filter-go">
          <button type="submit" className="btn secondary">
            筛选
          </button>
        </div>
      </form>
      {(error || !data) && <Pending error={error} retry={load} />}
      {data && (
        <div className="table-wrap">
          <table className="stack admin-table">
            <caption>共 {data.items.length} 条</caption>
            <thead>
              <tr>
                <th scope="col">参保人</th>
                <th scope="col">封锁期</th>
                <th scope="col">原因</th>
                <th scope="col">状态</th>
                <th scope="col">登记 / 解除</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {data.items.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    没有待遇封锁期记录。
                  </td>
                </tr>
              )}
              {data.items.map((l) => (
                <tr key={l.id}>
                  <td data-label="参保人">
                    {l.personName}
                    <br />
                    <span className="mono muted small nowrap">{l.idNoMasked}</span>
                  </td>
                  <td data-label="封锁期" className="nowrap">
                    {l.from} 至 {l.to}
                    {l.liftedOn && (
                      <>
                        <br />
                        <span className="small">{l.lastDay ? `实际至 ${l.lastDay}` : '未实际执行'}</span>
                      </>
                    )}
                  </td>
                  <td data-label="原因">{l.reason}</td>
                  <td data-label="状态">
                    <span className={`tag ${STATUS_CLS[l.status]}`}>{LOCKOUT_STATUS_LABELS[l.status]}</span>
                  </td>
                  <td data-label="登记 / 解除" className="small">
                    {l.createdBy ?? '数据导入'} · {fmtDateTime(l.createdAt)}
                    {l.liftedOn && (
                      <>
                        <br />
                        {l.liftedBy} 于 {l.liftedOn} 起解除：{l.liftReason}
                      </>
                    )}
                  </td>
                  <ActionCell
                    label="提前解除"
                    ariaLabel={`提前解除：${l.personName} ${l.from} 至 ${l.to}`}
                    onClick={l.canLift ? () => setLifting(l) : undefined}
                  />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LiftDialog
        ctx={ctx}
        l={lifting}
        today={data?.today ?? todayCn()}
        onClose={() => setLifting(null)}
        onDone={async (l) => {
          await load();
          setLifting(null);
          setMsg(`已提前解除 ${l.personName} 的待遇封锁期，自 ${l.liftedOn} 起恢复办理。`);
        }}
      />
    </>
  );
}

function NewLockout({
  ctx,
  today,
  onCancel,
  onDone,
}: {
  ctx: AdminCtx;
  today: string;
  onCancel: () => void;
  onDone: (l: LockoutOut) => Promise<void>;
}) {
  const prefix = 'lock-new';
  const empty = { idNo: '', from: today, to: '', reason: '' };
  const { v, setV, set, setProblems, busy, errors, shown, send } = useAdminForm(empty, LABELS);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The 公民身份号码 is checked here first (GB 11643), the rest by the API.
    const idp = v.idNo ? idProblemText(citizenIdProblem(v.idNo, today)) : null;
    if (idp) {
      setProblems([{ field: 'idNo', message: idp }]);
      return;
    }
    void send(async () => {
      const l = await ctx.api.createLockout(v);
      setProblems([]);
      setV(empty);
      await onDone(l);
    });
  };
  return (
    <form className="panel admin-form" onSubmit={submit} noValidate aria-labelledby={`${prefix}-h`}>
      <h2 id={`${prefix}-h`}>登记待遇封锁期</h2>
      <ErrorSummary title="未能登记，请修改以下内容：" problems={shown} prefix={prefix} />
      <InputField
        prefix={prefix}
        name="idNo"
        label="公民身份号码"
        required
        value={v.idNo}
        onChange={(x) => set('idNo')(x.toUpperCase().trim())}
        error={errors.idNo}
        className="mono"
        maxLength={18}
        autoComplete="off"
        spellCheck={false}
        help="须为本机构参保登记中的人员。"
      />
      <div className="admin-grid">
        <InputField prefix={prefix} name="from" label="开始日期" type="date" required value={v.from} onChange={set('from')} error={errors.from} />
        <InputField
          prefix={prefix}
          name="to"
          label="结束日期"
          type="date"
          required
          min={v.from || today}
          value={v.to}
          onChange={set('to')}
          error={errors.to}
        />
      </div>
      <TextAreaField
        prefix={prefix}
        name="reason"
        label="封锁原因"
        required
        help="将记入参保人的登记历史。"
        rows={2}
        maxLength={200}
        value={v.reason}
        onChange={set('reason')}
        error={errors.reason}
      />
      <FormActions busy={busy} label="登记封锁期" busyLabel="正在登记…" onCancel={onCancel} />
    </form>
  );
}

function LiftDialog({
  ctx,
  l,
  today,
  onClose,
  onDone,
}: {
  ctx: AdminCtx;
  l: LockoutOut | null;
  today: string;
  onClose: () => void;
  onDone: (l: LockoutOut) => Promise<void>;
}) {
  const prefix = 'lift';
  const { v, setV, set, problems, setProblems, busy, errors, send } = useAdminForm({ on: today, reason: '' });
  useEffect(() => {
    if (l) {
      setV({ on: today, reason: '' });
      setProblems([]);
    }
  }, [l, today]);
  const confirm = () => {
    if (!l) return;
    void send(async () => {
      await onDone(await ctx.api.liftLockout(l.id, v));
    });
  };
  const general = problems.filter((p) => !p.field || !(p.field in LABELS));
  return (
    <Dialog open={l !== null} title="提前解除待遇封锁期" confirmLabel="确认解除" busy={busy} onClose={onClose} onConfirm={confirm}>
      {l && (
        <p>
          {l.personName}（{l.idNoMasked}）{l.from} 至 {l.to}：{l.reason}
        </p>
      )}
      {general.map((p, i) => (
        <p key={i} className="field-error" role="alert">
          {p.message}
        </p>
      ))}
      <InputField
        prefix={prefix}
        name="on"
        label="自该日起解除"
        type="date"
        required
        min={today}
        max={l?.to}
        value={v.on}
        onChange={set('on')}
        error={errors.on}
      />
      <TextAreaField
        prefix={prefix}
        name="reason"
        label="解除原因"
        required
        rows={2}
        maxLength={200}
        value={v.reason}
        onChange={set('reason')}
        error={errors.reason}
      />
    </Dialog>
  );
}
