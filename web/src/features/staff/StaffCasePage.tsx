/** Staff case page: applicant data (audited view), materials, 禁办 check, claim and the action panel. */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, asApiError, fieldProblems, send, type ActionIn, type CaseDetail, type UserOut } from '../../lib/api.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { Link } from '../../lib/router.tsx';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { Notice } from '../../components/Form.tsx';
import { ReasonDialog } from '../../components/Dialog.tsx';
import { AnswersList, ClockEvents, DeadlineFacts, Documents, MaterialUpload, StatusBadge, Timeline } from '../cases/parts.tsx';
import { BenefitPanel, blockingFailures, fmtYuan, RuleCheckPanel } from '../cases/rules.tsx';

export function StaffCasePage({ id }: { id: number }) {
  return <RequireLogin staff>{(me) => <StaffCase id={id} me={me} />}</RequireLogin>;
}

type Action = CaseDetail['actions'][number];
type Result = { kind: 'ok' | 'error'; text: string };
const STAFF_CHANNELS = ['window', 'email', 'fax', 'post'];

function StaffCase({ id, me }: { id: number; me: UserOut }) {
  const [result, setResult] = useState<Result | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [found, setFound] = useState<Set<string>>(new Set());
  const [claimAsk, setClaimAsk] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [active, setActive] = useState<string>('');

  const {
    data: c,
    setData: setC,
    error: loadErr,
    reload: load,
  } = useLoad(async () => {
    const d = await api.case(id);
    if (d.facts) {
      setChecked(new Set(d.facts.checked));
      setFound(new Set(d.facts.found));
    }
    document.title = `${d.caseNo ?? '办件'} · 工作台`;
    return d;
  }, [id]);

  const claim = async (reason?: string) => {
    setBusy(true);
    try {
      const d = await api.claim(id, reason);
      setC(d);
      setClaimAsk(null);
      setResult({ kind: 'ok', text: '已认领该办件。' });
    } catch (e) {
      const a = asApiError(e);
      if (a.code === 'OUT_OF_TURN_REASON_REQUIRED') setClaimAsk(a.message);
      else {
        setClaimAsk(null);
        setResult({ kind: 'error', text: a.message });
      }
    } finally {
      setBusy(false);
    }
  };

  if (loadErr) return <ErrorBox message={loadErr.message} retry={load} />;
  if (!c) return <Loading />;

  const toggle = (set: Set<string>, setter: (s: Set<string>) => void, code: string) => {
    const n = new Set(set);
    if (n.has(code)) n.delete(code);
    else n.add(code);
    setter(n);
  };
  const intake = c.status === 'submitted' && STAFF_CHANNELS.includes(c.channel) && me.roles.some((r) => r === 'acceptor' || r === 'agency_admin');
  const listed = c.form.materials.filter((m) => m.applies !== 'no' || c.materials.some((f) => f.materialIndex === m.index));
  const mine = c.assigneeId === me.id;
  // 手工报销: the server says whether this reader may enter the itemised bill now.
  const billable = c.canEnterBill;

  return (
    <article className="case-page staff">
      <Crumbs items={[{ href: '/staff', label: '工作台' }, { label: c.caseNo ?? `办件 #${c.id}` }]} />
      <h1>
        {c.itemName} <StatusBadge status={c.status} label={c.statusLabel} />
      </h1>
      {result && <Notice kind={result.kind}>{result.text}</Notice>}
      <DeadlineFacts c={c} />

      <section className="panel claim-row">
        <p>
          经办人：<strong>{c.assigneeName ?? '未认领'}</strong>
        </p>
        {!mine && (
          <button type="button" className="btn primary" onClick={() => claim()} disabled={busy}>
            {c.assigneeName ? '改由我认领' : '认领'}
          </button>
        )}
      </section>

      <section className="panel">
        <h2>申请人</h2>
        <p className="muted small">您查看申请人完整信息的操作已记入审计日志。</p>
        <dl className="answers">
          <div>
            <dt>姓名</dt>
            <dd>{c.applicant.name}</dd>
          </div>
          <div>
            <dt>公民身份号码</dt>
            <dd>
              <span className="mono">{c.applicant.idNo}</span>{' '}
              {c.applicant.idNo && !c.applicant.idNo.includes('*') && (
                <Link className="no-print" href={`/staff/persons?idNo=${encodeURIComponent(c.applicant.idNo)}`}>
                  参保人档案
                </Link>
              )}
            </dd>
          </div>
          <div>
            <dt>联系电话</dt>
            <dd>
              <a href={`tel:${c.applicant.phone}`}>{c.applicant.phone}</a>
            </dd>
          </div>
          {c.applicant.email && (
            <div>
              <dt>电子邮箱</dt>
              <dd>{c.applicant.email}</dd>
            </div>
          )}
        </dl>
        <h3>申请表</h3>
        <AnswersList c={c} />
      </section>

      <section className="panel">
        <h2>申请材料</h2>
        {c.missing.length > 0 ? (
          <div className="warn-box inner">
            <p>
              <strong>尚缺 {c.missing.length} 项：</strong>
              {c.missing.map((m) => `${m.name}${m.tolerable ? '（可容缺）' : ''}`).join('、')}
            </p>
          </div>
        ) : (
          <p className="ok-text">按申请人的回答，必需材料已齐全。</p>
        )}
        {intake && <p className="muted">本件为代为登记的窗口/邮件/传真/邮寄收件，受理前可在此上传收到的材料扫描件。</p>}
        <ol className="mats">
          {listed.map((m) => (
            <MaterialUpload
              key={m.index}
              caseId={c.id}
              material={m}
              files={c.materials.filter((f) => f.materialIndex === m.index)}
              allFiles={c.materials}
              limits={c.form.limits}
              canUpload={intake}
              canDelete={() => false}
              onChanged={load}
            />
          ))}
        </ol>
      </section>

      {c.prohibitions.length > 0 && (
        <section className="panel warn-box" id="prohibitions">
          <h2>违规禁办情形核查</h2>
          <p className="muted small">受理前逐项核查；勾选“存在此情形”的，应按禁办不予受理。</p>
          <ol className="prohibitions">
            {c.prohibitions.map((p) => (
              <li key={p.code}>
                <p>{p.text}</p>
                <label className="opt">
                  <input type="checkbox" checked={checked.has(p.code)} onChange={() => toggle(checked, setChecked, p.code)} />
                  已核查
                </label>
                <label className="opt">
                  <input
                    type="checkbox"
                    checked={found.has(p.code)}
                    onChange={() => {
                      toggle(found, setFound, p.code);
                      if (!found.has(p.code)) setChecked(new Set(checked).add(p.code));
                    }}
                  />
                  存在此情形
                </label>
              </li>
            ))}
          </ol>
        </section>
      )}

      {c.benefit && <BenefitPanel b={c.benefit} />}
      {billable && <BillForm key={c.id} caseId={c.id} saved={c.benefit?.bill} onSaved={load} />}
      {c.evaluation && <RuleCheckPanel ev={c.evaluation} />}

      <section className="panel no-print" aria-labelledby="act-h">
        <h2 id="act-h">办理</h2>
        {c.actions.length === 0 ? (
          <p className="muted">当前状态下您没有可进行的操作{!mine && c.status !== 'draft' ? '（可能需要先认领）' : ''}。</p>
        ) : (
          <>
            <div className="action-pick" role="group" aria-label="选择操作">
              {c.actions.map((a) => (
                <button
                  key={a.action}
                  type="button"
                  className={active === a.action ? 'btn primary' : 'btn secondary'}
                  aria-pressed={active === a.action}
                  onClick={() => setActive(active === a.action ? '' : a.action)}
                >
                  {a.label}
                </button>
              ))}
            </div>
            {c.actions
              .filter((a) => a.action === active)
              .map((a) => (
                <ActionForm
                  key={a.action + c.lockVersion}
                  c={c}
                  a={a}
                  facts={{ checked: [...checked], found: [...found] }}
                  onDone={(d, r) => {
                    if (d) {
                      setC(d);
                      setActive('');
                    }
                    setResult(r);
                    if (!d && r.kind === 'error') void load();
                  }}
                />
              ))}
          </>
        )}
      </section>

      <section className="panel">
        <h2>文书</h2>
        <Documents c={c} />
      </section>
      <section className="panel">
        <h2>办理过程</h2>
        <Timeline events={c.events} />
        {c.clockEvents.length > 0 && (
          <>
            <h3>计时记录</h3>
            <ClockEvents events={c.clockEvents} />
          </>
        )}
      </section>

      <ReasonDialog
        open={claimAsk !== null}
        title="不按先后顺序办理"
        intro={<p>{claimAsk}</p>}
        label="理由（将记录并报监督人员）"
        busy={busy}
        onClose={() => setClaimAsk(null)}
        onSubmit={(reason) => void claim(reason)}
      />
    </article>
  );
}

/** The inputs an action requires (reasons, materials_list, pledge, note, facts), then the action button. */
function ActionForm({
  c,
  a,
  facts,
  onDone,
}: {
  c: CaseDetail;
  a: Action;
  facts: { checked: string[]; found: string[] };
  onDone: (d: CaseDetail | null, r: Result) => void;
}) {
  const id = useId();
  const req = new Set(a.requires);
  // 不予受理 of a case that fails the eligibility rules: their reasons, ready to edit.
  const ruled =
    a.action === 'reject'
      ? blockingFailures(c.evaluation)
          .filter((r) => r.kind === 'eligibility')
          .map((r) => r.reason.trim())
          .filter(Boolean)
      : [];
  const [reasons, setReasons] = useState<string[]>(() => (ruled.length ? ruled : ['']));
  const prefilled = ruled.length > 0;
  const missingIdx = new Set(c.missing.map((m) => m.index));
  const [mats, setMats] = useState<Map<number, string>>(() => new Map([...missingIdx].map((i) => [i, ''])));
  const [pledge, setPledge] = useState(false);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem('');
    const body: ActionIn = { lockVersion: c.lockVersion };
    if (req.has('reasons')) {
      const list = reasons.map((r) => r.trim()).filter(Boolean);
      if (!list.length) return setProblem('请至少填写一条理由。');
      body.reasons = list.map((text) => ({ text }));
    }
    if (req.has('materials_list')) {
      if (!mats.size) return setProblem('请勾选需要补正的材料（一次性告知全部）。');
      body.materials = [...mats].map(([index, n]) => ({ index, note: n.trim() || undefined }));
    }
    if (req.has('pledge')) {
      if (!pledge) return setProblem('容缺受理须确认申请人已签署《容缺受理承诺书》。');
      body.pledge = { signed: true };
    }
    if (req.has('note')) {
      if (!note.trim()) return setProblem('请填写说明。');
      body.note = note.trim();
    } else if (note.trim()) body.note = note.trim();
    if (req.has('facts')) {
      if (c.prohibitions.length && facts.checked.length < c.prohibitions.length && facts.found.length === 0)
        return setProblem(`请先在“违规禁办情形核查”中逐项核查（已核查 ${facts.checked.length}/${c.prohibitions.length} 项）。`);
      body.facts = facts;
    }
    setBusy(true);
    try {
      const d = await api.act(c.id, a.action, body);
      onDone(d, { kind: 'ok', text: `已完成“${a.label}”。当前状态：${d.statusLabel}。` });
    } catch (err) {
      const x = asApiError(err);
      if (x.code === 'STALE_CASE') onDone(null, { kind: 'error', text: x.message });
      else setProblem(x.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="action-form" onSubmit={submit} aria-label={a.label}>
      <h3>{a.label}</h3>
      {req.has('facts') && c.prohibitions.length > 0 && (
        <p className="small">
          禁办核查：已核查 {facts.checked.length}/{c.prohibitions.length} 项，存在情形 {facts.found.length} 项。
          {c.prohibitions.length > 0 && <a href="#prohibitions">修改核查结果</a>}
        </p>
      )}
      {req.has('materials_list') && (
        <fieldset className="mat-pick">
          <legend>需要补正的材料（一次性告知：请一次列全）</legend>
          {c.form.materials.map((m) => {
            const on = mats.has(m.index);
            return (
              <div key={m.index} className="mat-pick-row">
                <label className="opt">
                  <input
                    type="checkbox"
                    checked={on}
                    onChange={() => {
                      const n = new Map(mats);
                      if (on) n.delete(m.index);
                      else n.set(m.index, '');
                      setMats(n);
                    }}
                  />
                  {m.name}
                  {missingIdx.has(m.index) && <span className="tag warn">未上传</span>}
                </label>
                {on && (
                  <>
                    <label className="sr-only" htmlFor={`${id}-mn-${m.index}`}>
                      {m.name}的补正说明
                    </label>
                    <input
                      id={`${id}-mn-${m.index}`}
                      placeholder="补正说明（选填），如：需加盖公章"
                      maxLength={300}
                      value={mats.get(m.index) ?? ''}
                      onChange={(e) => setMats(new Map(mats).set(m.index, e.target.value))}
                    />
                  </>
                )}
              </div>
            );
          })}
        </fieldset>
      )}
      {req.has('reasons') && (
        <fieldset>
          <legend>理由（可填写多条）</legend>
          {prefilled && <p className="muted small">已按“规则核验”未通过的项目预填理由，可修改或补充。</p>}
          {reasons.map((r, i) => (
            <div key={i} className="reason-row">
              <label htmlFor={`${id}-r-${i}`} className="sr-only">
                理由 {i + 1}
              </label>
              <span aria-hidden="true">{i + 1}.</span>
              <input
                id={`${id}-r-${i}`}
                value={r}
                maxLength={500}
                onChange={(e) => setReasons(reasons.map((x, j) => (j === i ? e.target.value : x)))}
              />
              {reasons.length > 1 && (
                <button
                  type="button"
                  className="btn small secondary"
                  onClick={() => setReasons(reasons.filter((_, j) => j !== i))}
                  aria-label={`删除理由 ${i + 1}`}
                >
                  删除
                </button>
              )}
            </div>
          ))}
          <button type="button" className="link" onClick={() => setReasons([...reasons, ''])}>
            + 添加一条理由
          </button>
        </fieldset>
      )}
      {req.has('pledge') && (
        <label className="opt">
          <input
            type="checkbox"
            checked={pledge}
            onChange={(e) => {
              setPledge(e.target.checked);
              setProblem('');
            }}
          />
          申请人已签署《容缺受理承诺书》
        </label>
      )}
      <div className="field">
        <label htmlFor={`${id}-note`}>
          {req.has('note') ? '说明' : '备注（选填）'}
          {req.has('note') && (
            <span className="req" aria-hidden="true">
              *
            </span>
          )}
        </label>
        <textarea id={`${id}-note`} rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="btn primary" disabled={busy}>
        {busy ? '正在提交…' : `确认${a.label}`}
      </button>
    </form>
  );
}

type BillCategory = 'covered' | 'partly' | 'excluded';
const BILL_CATEGORIES: { value: BillCategory; label: string }[] = [
  { value: 'covered', label: '全额纳入' },
  { value: 'partly', label: '部分纳入' },
  { value: 'excluded', label: '不予支付' },
];
interface BillRow {
  key: number;
  name: string;
  amount: string;
  category: BillCategory;
  ratio: string;
}
interface BillLine {
  name: string;
  amount: number;
  category: BillCategory;
  selfPayRatio?: number;
}
type RowErrors = Partial<Record<'name' | 'amount' | 'ratio', string>>;

const MONEY_RE = /^\d+(\.\d{1,2})?$/;
const RATIO_RE = /^(0(\.\d+)?|1(\.0+)?|\.\d+)$/;
/** "1,234.5" / "１２３" → 1234.5; null when not a money amount. */
function parseMoney(s: string): number | null {
  const t = s
    .normalize('NFKC')
    .replace(/[,，\s]/g, '')
    .replace(/^[¥￥]/, '');
  return MONEY_RE.test(t) ? Number(t) : null;
}
function parseRatio(s: string): number | null {
  const t = s.normalize('NFKC').trim();
  return RATIO_RE.test(t) ? Number(t) : null;
}
function checkRow(r: BillRow): RowErrors {
  const e: RowErrors = {};
  if (!r.name.trim()) e.name = '请填写项目名称。';
  else if (r.name.trim().length > 100) e.name = '项目名称不超过 100 字。';
  const a = parseMoney(r.amount);
  if (!r.amount.trim()) e.amount = '请填写金额。';
  else if (a === null) e.amount = '金额须为数字，最多两位小数。';
  else if (a <= 0) e.amount = '金额须大于 0。';
  else if (a > 10_000_000) e.amount = '金额不超过 10,000,000 元。';
  if (r.category === 'partly' && r.ratio.trim() && parseRatio(r.ratio) === null) e.ratio = '先行自付比例须为 0 到 1 之间的小数，如 0.2。';
  return e;
}

/** 录入费用明细: the reviewer types in the 费用清单 line by line; the server then computes 手工报销. */
function BillForm({
  caseId,
  saved: savedLines,
  onSaved,
}: {
  caseId: number;
  saved: readonly BillLine[] | null | undefined;
  onSaved: () => Promise<unknown>;
}) {
  const id = useId();
  const next = useRef(1);
  const blank = (): BillRow => ({ key: next.current++, name: '', amount: '', category: 'covered', ratio: '' });
  // Lines saved earlier come back from the API, so reopening the case shows (and edits) them.
  const [rows, setRows] = useState<BillRow[]>(() =>
    savedLines?.length
      ? savedLines.map((l) => ({
          key: next.current++,
          name: l.name,
          amount: l.amount.toFixed(2),
          category: l.category,
          ratio: l.selfPayRatio === undefined ? '' : String(l.selfPayRatio),
        }))
      : [blank()],
  );
  const [errors, setErrors] = useState<Map<number, RowErrors>>(new Map());
  const [problem, setProblem] = useState<string[]>([]);
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  const focusKey = useRef<number | null>(null);

  useEffect(() => {
    const k = focusKey.current;
    if (k === null) return;
    focusKey.current = null;
    document.getElementById(`${id}-name-${k}`)?.focus();
  }, [rows, id]);

  const update = (key: number, patch: Partial<BillRow>) => {
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
    setSaved('');
    setErrors((m) => {
      if (!m.has(key)) return m;
      const n = new Map(m);
      n.delete(key);
      return n;
    });
  };
  const add = () => {
    const r = blank();
    focusKey.current = r.key;
    setRows([...rows, r]);
    setSaved('');
  };
  const remove = (i: number) => {
    const rest = rows.filter((_, j) => j !== i);
    const nextRows = rest.length ? rest : [blank()];
    // Focus stays in the list: the row before the removed one (or the new empty row).
    focusKey.current = (nextRows[Math.max(0, i - 1)] ?? nextRows[0])?.key ?? null;
    setRows(nextRows);
    setSaved('');
  };

  const sums = { covered: 0, partly: 0, excluded: 0, all: 0 };
  let unparsed = 0;
  for (const r of rows) {
    const a = parseMoney(r.amount);
    if (a === null) {
      if (r.amount.trim()) unparsed++;
      continue;
    }
    sums[r.category] += a;
    sums.all += a;
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved('');
    const errs = new Map<number, RowErrors>();
    rows.forEach((r) => {
      const x = checkRow(r);
      if (Object.keys(x).length) errs.set(r.key, x);
    });
    setErrors(errs);
    if (errs.size) {
      setProblem([`有 ${errs.size} 项填写有误，请按提示修改。`]);
      const first = rows.find((r) => errs.has(r.key));
      if (first) {
        const f = errs.get(first.key) ?? {};
        document.getElementById(`${id}-${f.name ? 'name' : f.amount ? 'amount' : 'ratio'}-${first.key}`)?.focus();
      }
      return;
    }
    const lines: BillLine[] = rows.map((r) => {
      const l: BillLine = { name: r.name.trim(), amount: parseMoney(r.amount) ?? 0, category: r.category };
      if (r.category === 'partly' && r.ratio.trim()) l.selfPayRatio = parseRatio(r.ratio) ?? undefined;
      return l;
    });
    setProblem([]);
    setBusy(true);
    try {
      await send<CaseDetail>('PUT', `/api/cases/${caseId}/bill`, { lines });
      await onSaved();
      setSaved(`已保存 ${lines.length} 项费用明细，合计 ${fmtYuan(sums.all)}；“待遇核算”已按明细重新计算。`);
    } catch (err) {
      const x = asApiError(err);
      const fp = fieldProblems(err).map((f) => {
        const m = /lines\.(\d+)/.exec(f.field);
        return m ? `第 ${Number(m[1]) + 1} 项：${f.message}` : f.message;
      });
      setProblem([x.message, ...fp]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel no-print" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>录入费用明细</h2>
      <p className="muted small">
        按发票和费用清单逐项录入。类别：全额纳入按规定比例报销；部分纳入先由个人按“先行自付比例”自付（不填则按经办机构规定比例）；不予支付不计入报销。提交后以本次录入的全部明细替换此前录入的明细。
      </p>
      <form className="bill-form" onSubmit={submit} noValidate aria-describedby={problem.length ? `${id}-err` : undefined}>
        <ol className="bill-rows">
          {rows.map((r, i) => {
            const er = errors.get(r.key) ?? {};
            const n = i + 1;
            const f = (k: string) => `${id}-${k}-${r.key}`;
            return (
              <li key={r.key} className="bill-row">
                <fieldset>
                  <legend className="bill-legend">第 {n} 项</legend>
                  <div className="bill-field bill-name">
                    <label htmlFor={f('name')}>项目名称</label>
                    <input
                      id={f('name')}
                      value={r.name}
                      maxLength={100}
                      autoComplete="off"
                      aria-invalid={er.name ? true : undefined}
                      aria-describedby={er.name ? f('name-e') : undefined}
                      onChange={(e) => update(r.key, { name: e.target.value })}
                    />
                    {er.name && (
                      <p className="field-error" id={f('name-e')}>
                        {er.name}
                      </p>
                    )}
                  </div>
                  <div className="bill-field bill-amount">
                    <label htmlFor={f('amount')}>金额（元）</label>
                    <input
                      id={f('amount')}
                      value={r.amount}
                      inputMode="decimal"
                      autoComplete="off"
                      placeholder="0.00"
                      aria-invalid={er.amount ? true : undefined}
                      aria-describedby={er.amount ? f('amount-e') : undefined}
                      onChange={(e) => update(r.key, { amount: e.target.value })}
                    />
                    {er.amount && (
                      <p className="field-error" id={f('amount-e')}>
                        {er.amount}
                      </p>
                    )}
                  </div>
                  <div className="bill-field bill-cat">
                    <label htmlFor={f('cat')}>类别</label>
                    <select id={f('cat')} value={r.category} onChange={(e) => update(r.key, { category: e.target.value as BillCategory })}>
                      {BILL_CATEGORIES.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                  </div>
                  {r.category === 'partly' && (
                    <div className="bill-field bill-ratio">
                      <label htmlFor={f('ratio')}>
                        先行自付比例<span className="opt-tag">（0–1，选填）</span>
                      </label>
                      <input
                        id={f('ratio')}
                        value={r.ratio}
                        inputMode="decimal"
                        autoComplete="off"
                        placeholder="如 0.2"
                        aria-invalid={er.ratio ? true : undefined}
                        aria-describedby={er.ratio ? f('ratio-e') : undefined}
                        onChange={(e) => update(r.key, { ratio: e.target.value })}
                      />
                      {er.ratio && (
                        <p className="field-error" id={f('ratio-e')}>
                          {er.ratio}
                        </p>
                      )}
                    </div>
                  )}
                  <div className="bill-field bill-remove">
                    <button type="button" className="btn small secondary" onClick={() => remove(i)} aria-label={`删除第 ${n} 项`}>
                      删除
                    </button>
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <button type="button" className="btn secondary" onClick={add} disabled={rows.length >= 500}>
          + 添加一项
        </button>
        <dl className="bill-total">
          <div>
            <dt>全额纳入</dt>
            <dd>{fmtYuan(sums.covered)}</dd>
          </div>
          <div>
            <dt>部分纳入</dt>
            <dd>{fmtYuan(sums.partly)}</dd>
          </div>
          <div>
            <dt>不予支付</dt>
            <dd>{fmtYuan(sums.excluded)}</dd>
          </div>
          <div className="bill-sum">
            <dt>
              合计（{rows.length} 项{unparsed ? `，${unparsed} 项金额无法识别未计入` : ''}）
            </dt>
            <dd>{fmtYuan(sums.all)}</dd>
          </div>
        </dl>
        {problem.length > 0 && (
          <div className="field-error bill-error" role="alert" id={`${id}-err`}>
            {problem.length === 1 ? (
              problem[0]
            ) : (
              <>
                {problem[0]}
                <ul>
                  {problem.slice(1).map((t, i) => (
                    <li key={i}>{t}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
        <div role="status" className="bill-status">
          {saved && <p className="ok-text">{saved}</p>}
        </div>
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? '正在保存…' : '保存费用明细并核算'}
        </button>
      </form>
    </section>
  );
}
