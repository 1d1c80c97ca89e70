/** 在线申请: choose whom for (本人 or a 代办 principal), resume or start a draft, autosave the form, upload materials, submit. */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, asApiError, fieldProblems, type Authorisation, type CaseDetail, type FieldProblem, type UserOut } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { Link, navigate } from '../../lib/router.tsx';
import { fmtTime, limitsText } from '../../lib/format.ts';
import { maskCitizenId } from '../../../../common/ids.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { ErrorSummary, FormFieldInput } from '../../components/Form.tsx';
import { MaterialUpload } from './parts.tsx';
import { DeferredRefusal } from '../emergency/parts.tsx';
import { blockingFailures, PrecheckResult, type Evaluation } from './rules.tsx';
import { IdentityPanel } from '../accounts/IdentityPanel.tsx';

/** Whom the application is for: the account holder, or a principal under a 代办 authorisation. */
type Who = { kind: 'self' } | { kind: 'auth'; auth: Authorisation };

const applicantOf = (d: CaseDetail) => ({
  name: (d.answers.applicantName ?? d.applicant.name).trim(),
  masked: maskCitizenId((d.answers.applicantIdNo ?? d.applicant.idNo).trim().toUpperCase()),
});
/** A draft is for a principal when its applicant's name and (masked) 公民身份号码 are the principal's. */
const isFor = (d: CaseDetail, a: Authorisation) => {
  const p = applicantOf(d);
  return p.name === a.principalName && p.masked === a.principalIdNoMasked;
};

const starting = new Map<string, Promise<CaseDetail>>();

/**
 * The user's draft for this item and this applicant, or a new one. A draft made for a principal
 * carries the principal's name and ID, so it is only reused when acting for that principal; 本人
 * reuses a draft that is for none of the user's principals. Deduplicated so a double mount never
 * creates two drafts.
 */
function startDraft(agency: string, item: string, who: Who, auths: Authorisation[]): Promise<CaseDetail> {
  const key = `${agency}/${item}/${who.kind === 'auth' ? who.auth.id : 'self'}`;
  let p = starting.get(key);
  if (!p) {
    p = (async () => {
      const mine = await api.myCases(1, 50, { status: 'draft', agency, item });
      const principals = new Set(auths.map((a) => a.principalName));
      for (const s of mine.items) {
        const name = s.applicantName.trim();
        if (who.kind === 'auth') {
          if (name !== who.auth.principalName) continue;
          const d = await api.case(s.id);
          if (isFor(d, who.auth)) return d;
        } else {
          if (!principals.has(name)) return api.case(s.id);
          const d = await api.case(s.id);
          if (!auths.some((a) => isFor(d, a))) return d;
        }
      }
      return api.createCase(agency, item, who.kind === 'auth' ? who.auth.id : undefined);
    })();
    starting.set(key, p);
    const clear = () => starting.delete(key);
    p.then(clear, clear);
  }
  return p;
}

/** A draft named in the address (继续填写 from 我的办件), if it is this item's. */
async function resumeDraft(agency: string, item: string, id: number): Promise<CaseDetail> {
  const d = await api.case(id);
  if (d.agencyCode !== agency || d.itemCode !== item) throw new ApiError('NOT_FOUND', '未找到该草稿，请从“我的办件”重新打开。', 404);
  return d;
}

/** 办理前自检: the latest verdict (kept on screen while a newer one is fetched). */
type PrecheckState =
  { kind: 'idle' } | { kind: 'loading'; ev: Evaluation | null } | { kind: 'ok'; ev: Evaluation } | { kind: 'error'; message: string };

type SaveState = { kind: 'idle' } | { kind: 'pending' } | { kind: 'saving' } | { kind: 'saved'; at: Date } | { kind: 'error'; message: string };

export function ApplyPage({ agency, item, draftId }: { agency: string; item: string; draftId?: number | null }) {
  return <RequireLogin staff={false}>{(me) => <Apply agency={agency} item={item} me={me} draftId={draftId ?? null} />}</RequireLogin>;
}

/** Ask "为谁申请" when the user holds an active authorisation; then the form for that applicant. */
function Apply({ agency, item, me, draftId }: { agency: string; item: string; me: UserOut; draftId: number | null }) {
  const [tries, setTries] = useState(0);
  const auths = useLoad(() => api.authorisations(), [tries]);
  const [who, setWho] = useState<Who | null>(null);
  const [resume, setResume] = useState<number | null>(draftId);

  if (auths.status === 'loading') return <Loading />;
  if (auths.status === 'error') return <ErrorBox message={auths.error.message} retry={() => setTries((t) => t + 1)} />;
  const all = auths.data.items;
  // Only authorisations the principal confirmed can be applied under (the server refuses the rest).
  const active = all.filter((a) => a.active && a.confirmed);
  const choose = active.length
    ? () => {
        setResume(null);
        setWho(null);
      }
    : undefined;

  if (resume !== null)
    return <ApplyForm key={`draft-${resume}`} agency={agency} item={item} me={me} draftId={resume} auths={all} onChangeWho={choose} />;
  if (active.length === 0) return <ApplyForm key="self" agency={agency} item={item} me={me} who={{ kind: 'self' }} auths={all} />;
  if (!who) return <ChooseApplicant agency={agency} item={item} me={me} active={active} onChoose={setWho} />;
  return (
    <ApplyForm
      key={who.kind === 'auth' ? `auth-${who.auth.id}` : 'self'}
      agency={agency}
      item={item}
      me={me}
      who={who}
      auths={all}
      onChangeWho={choose}
    />
  );
}

function ChooseApplicant({
  agency,
  item,
  me,
  active,
  onChoose,
}: {
  agency: string;
  item: string;
  me: UserOut;
  active: Authorisation[];
  onChoose: (w: Who) => void;
}) {
  const ag = useLoad(() => api.agency(agency), [agency]);
  const it = useLoad(() => api.item(agency, item), [agency, item]);
  const [pick, setPick] = useState('');
  const [problem, setProblem] = useState<FieldProblem[]>([]);
  const itemName = it.status === 'ok' ? it.data.name : item;
  useEffect(() => {
    document.title = `在线申请 · ${itemName}`;
  }, [itemName]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (pick === 'self') return onChoose({ kind: 'self' });
    const a = active.find((x) => String(x.id) === pick);
    if (a) return onChoose({ kind: 'auth', auth: a });
    setProblem([{ field: 'who', message: '请选择为谁申请。' }]);
  };

  return (
    <article className="apply">
      <Crumbs
        items={[
          { href: '/', label: '首页' },
          { href: `/a/${agency}`, label: ag.status === 'ok' ? ag.data.shortName : agency },
          { href: `/a/${agency}/items/${item}`, label: itemName },
          { label: '在线申请' },
        ]}
      />
      <h1>在线申请：{itemName}</h1>
      <ErrorSummary title="请先选择申请人：" problems={problem} prefix="w" />
      <form className="panel form" onSubmit={submit} noValidate>
        <fieldset className={`field choice who${problem.length ? ' has-error' : ''}`} id="w-who" aria-describedby="w-who-help">
          <legend>
            为谁申请
            <span className="req" aria-hidden="true">
              *
            </span>
          </legend>
          <p className="help" id="w-who-help">
            您已登记代办授权。为他人申请时，申请表中的申请人为被代办人，办件仍在您的账号下办理。
          </p>
          <label className="opt">
            <input type="radio" name="who" value="self" checked={pick === 'self'} onChange={() => setPick('self')} required />
            <span>本人（{me.name}）</span>
          </label>
          {active.map((a) => (
            <label key={a.id} className="opt">
              <input type="radio" name="who" value={String(a.id)} checked={pick === String(a.id)} onChange={() => setPick(String(a.id))} required />
              <span>
                代 {a.principalName} 申请
                <span className="muted small">
                  （{a.relation}，{a.principalIdNoMasked}，授权至 <span className="nowrap">{a.validUntil}</span>）
                </span>
              </span>
            </label>
          ))}
          {problem.length > 0 && (
            <p className="field-error" id="w-who-err">
              {problem[0]!.message}
            </p>
          )}
        </fieldset>
        <button type="submit" className="btn primary">
          开始填写
        </button>
      </form>
      <p className="small">
        要为其他人申请？请先在“我的办件”<Link href="/me#authorisations">登记代办授权</Link>。
      </p>
    </article>
  );
}

function ApplyForm({
  agency,
  item,
  me,
  who,
  draftId,
  auths,
  onChangeWho,
}: {
  agency: string;
  item: string;
  me: UserOut;
  who?: Who;
  draftId?: number;
  auths: Authorisation[];
  onChangeWho?: () => void;
}) {
  const ag = useLoad(() => api.agency(agency), [agency]);
  const [c, setC] = useState<CaseDetail | null>(null);
  const [loadErr, setLoadErr] = useState<ApiError | null>(null);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [missing, setMissing] = useState<{ index: number; name: string }[]>([]);
  const [submitErr, setSubmitErr] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const caseRef = useRef<CaseDetail | null>(null);
  const answersRef = useRef<Record<string, string>>({});
  const edits = useRef(0);
  const savedEdits = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const saving = useRef<Promise<boolean> | null>(null);
  const missingRef = useRef<HTMLDivElement>(null);
  const submitErrRef = useRef<HTMLDivElement>(null);
  // The component is keyed by whom it is for: these do not change while it is mounted.
  const whoRef = useRef(who);
  const authsRef = useRef(auths);
  const [pre, setPre] = useState<PrecheckState>({ kind: 'idle' });
  const preSeq = useRef(0);

  const load = useCallback(() => {
    setLoadErr(null);
    (draftId ? resumeDraft(agency, item, draftId) : startDraft(agency, item, whoRef.current ?? { kind: 'self' }, authsRef.current)).then(
      (d) => {
        caseRef.current = d;
        answersRef.current = { ...d.answers };
        setAnswers({ ...d.answers });
        setC(d);
        document.title = `在线申请 · ${d.itemName}`;
      },
      (e) => setLoadErr(asApiError(e)),
    );
  }, [agency, item, draftId]);
  useEffect(load, [load]);

  const doSave = useCallback(async (): Promise<boolean> => {
    while (saving.current) await saving.current;
    const cur = caseRef.current;
    if (!cur || edits.current === savedEdits.current) return true;
    const snapshot = answersRef.current;
    const at = edits.current;
    setSave({ kind: 'saving' });
    const p = (async () => {
      try {
        let d: CaseDetail;
        try {
          d = await api.saveDraft(cur.id, snapshot, caseRef.current?.lockVersion);
        } catch (e) {
          if (asApiError(e).code !== 'STALE_CASE') throw e;
          // Saved from another tab: this page's answers are the newest the user typed, so they win.
          const fresh = await api.case(cur.id);
          d = await api.saveDraft(cur.id, snapshot, fresh.lockVersion);
        }
        caseRef.current = d;
        setC(d);
        savedEdits.current = at;
        setSave(edits.current === at ? { kind: 'saved', at: new Date() } : { kind: 'pending' });
        return true;
      } catch (e) {
        setSave({ kind: 'error', message: asApiError(e).message });
        return false;
      }
    })();
    saving.current = p;
    const ok = await p;
    saving.current = null;
    return ok;
  }, []);

  // Leaving the page with unsaved edits: send them anyway (keepalive survives the unload).
  useEffect(() => {
    const flush = () => {
      const cur = caseRef.current;
      if (cur && edits.current !== savedEdits.current) void api.saveDraft(cur.id, answersRef.current, cur.lockVersion, true).catch(() => undefined);
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      if (timer.current) clearTimeout(timer.current);
      flush();
    };
  }, []);

  const change = (field: string, v: string) => {
    answersRef.current = { ...answersRef.current, [field]: v };
    setAnswers(answersRef.current);
    edits.current++;
    setSave({ kind: 'pending' });
    setProblems((ps) => (ps.some((p) => p.field === field) ? ps.filter((p) => p.field !== field) : ps));
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void doSave(), 800);
  };

  const refresh = async () => {
    const cur = caseRef.current;
    if (!cur) return;
    try {
      const d = await api.case(cur.id);
      caseRef.current = d;
      setC(d);
      setMissing((ms) => ms.filter((m) => !d.materials.some((x) => x.materialIndex === m.index)));
    } catch (e) {
      setSubmitErr(asApiError(e).message);
    }
  };

  const submit = async () => {
    const cur = caseRef.current;
    if (!cur) return;
    setSubmitErr('');
    setMissing([]);
    setProblems([]);
    if (timer.current) clearTimeout(timer.current);
    setSubmitting(true);
    try {
      if (!(await doSave())) {
        setSubmitErr('申请表未能保存，请检查网络后重试。');
        return;
      }
      const d = await api.submitCase(cur.id);
      navigate(`/me/cases/${d.id}`);
    } catch (e) {
      const a = asApiError(e);
      if (a.code === 'FORM_INVALID') {
        const fp = fieldProblems(a);
        setProblems(fp.length ? fp : [{ field: '', message: a.message }]);
      } else if (a.code === 'MATERIALS_MISSING') {
        const list = Array.isArray(a.details) ? (a.details as { index: number; name: string }[]) : [];
        setMissing(list.length ? list : [{ index: -1, name: a.message }]);
        setTimeout(() => missingRef.current?.focus());
      } else {
        setSubmitErr(a.message);
        setTimeout(() => submitErrRef.current?.focus());
      }
    } finally {
      setSubmitting(false);
    }
  };

  // 代办: the authorisation this draft is under (chosen on the previous step, or recognised from its applicant).
  const actingFor = !c ? null : who?.kind === 'auth' ? who.auth : who ? null : (auths.find((a) => isFor(c, a)) ?? null);
  const authId = actingFor?.id;
  // The pre-check reads the saved answers: it runs when the draft is loaded and after each autosave that changed them.
  // Registry facts are the verified person's only (the server refuses the rest): no pre-check before that.
  const savedKey = c && c.status === 'draft' && me.idVerified === true ? JSON.stringify(c.answers) : '';
  const runPrecheck = useCallback(() => {
    if (!savedKey) return;
    const seq = ++preSeq.current;
    setPre((p) => ({ kind: 'loading', ev: p.kind === 'ok' ? p.ev : p.kind === 'loading' ? p.ev : null }));
    api.precheck(agency, item, JSON.parse(savedKey) as Record<string, string>, authId).then(
      (ev) => {
        if (seq === preSeq.current) setPre({ kind: 'ok', ev });
      },
      (e) => {
        if (seq === preSeq.current) setPre({ kind: 'error', message: asApiError(e).message });
      },
    );
  }, [agency, item, savedKey, authId]);
  useEffect(() => {
    const t = setTimeout(runPrecheck, 300);
    return () => clearTimeout(t);
  }, [runPrecheck]);

  if (loadErr?.code === 'EMERGENCY_ITEM_DEFERRED') return <DeferredRefusal agency={agency} item={item} message={loadErr.message} />;
  if (loadErr)
    return (
      <ErrorBox message={loadErr.message} retry={load}>
        {onChangeWho && (
          <button type="button" onClick={onChangeWho}>
            重新选择为谁申请
          </button>
        )}
      </ErrorBox>
    );
  if (!c) return <Loading />;
  if (c.status !== 'draft')
    return (
      <ErrorBox message={`该申请已提交（${c.statusLabel}），不能再修改。`}>
        <Link href={`/me/cases/${c.id}`}>查看办件</Link>
      </ErrorBox>
    );

  const err = (f: string) => problems.find((p) => p.field === f)?.message;
  const labels = Object.fromEntries(c.form.fields.map((f) => [f.id, f.label]));
  const shown = c.form.materials.filter((m) => m.applies !== 'no');
  const notNeeded = c.form.materials.filter((m) => m.applies === 'no');
  const agName = ag.status === 'ok' ? ag.data.shortName : agency;
  const shownEv = pre.kind === 'ok' || pre.kind === 'loading' ? pre.ev : null;
  const blocking = blockingFailures(shownEv);

  return (
    <article className="apply">
      <Crumbs
        items={[
          { href: '/', label: '首页' },
          { href: `/a/${agency}`, label: agName },
          { href: `/a/${agency}/items/${item}`, label: c.itemName },
          { label: '在线申请' },
        ]}
      />
      <h1>在线申请：{c.itemName}</h1>
      {actingFor ? (
        <div className={`agent-banner${actingFor.active ? '' : ' expired'}`} role="note" aria-label="代办">
          <p>
            您正在代 <strong>{actingFor.principalName}</strong> 申请（授权至 <span className="nowrap">{actingFor.validUntil}</span>
            {actingFor.active ? '' : '，已过期'}）
          </p>
          {onChangeWho && (
            <button type="button" className="btn small secondary" onClick={onChangeWho}>
              更换申请人
            </button>
          )}
        </div>
      ) : (
        onChangeWho && (
          <div className="agent-banner self" role="note" aria-label="本人申请">
            <p>
              您正在为本人（<strong>{me.name}</strong>）申请
            </p>
            <button type="button" className="btn small secondary" onClick={onChangeWho}>
              更换申请人
            </button>
          </div>
        )
      )}
      {!actingFor && !onChangeWho && me.kind === 'agent' && (
        <p className="tip small">
          您使用的是代办人账号。如需为他人申请，请先在“我的办件”<Link href="/me#authorisations">登记代办授权</Link>，再回到本页选择被代办人。
        </p>
      )}
      <p className="save-state" role="status" aria-live="polite">
        {save.kind === 'saving' && '正在保存…'}
        {save.kind === 'pending' && '有修改，稍后自动保存'}
        {save.kind === 'saved' && `已自动保存 ${fmtTime(save.at)}`}
        {save.kind === 'idle' && `草稿已保存${c.updatedAt ? ` ${fmtTime(new Date(c.updatedAt))}` : ''}，填写内容会自动保存`}
        {save.kind === 'error' && <span className="bad">自动保存失败：{save.message}</span>}
      </p>
      <ErrorSummary title={`申请表有 ${problems.length} 处需要修改：`} problems={problems} labels={labels} />

      {me.idVerified === false && <IdentityPanel />}
      {me.idVerified === true && (
        <section className={`panel precheck${blocking.length ? ' warn-box' : ''}`} aria-labelledby="precheck-h">
          <h2 id="precheck-h">办理条件自检</h2>
          <div role="status" aria-live="polite" className="precheck-status">
            {pre.kind === 'loading' && !pre.ev && <p className="muted">正在根据参保信息核验办理条件…</p>}
            {shownEv && <PrecheckResult ev={shownEv} />}
            {pre.kind === 'error' && <p className="bad">暂时无法完成自检：{pre.message}</p>}
          </div>
          {pre.kind === 'error' && (
            <button type="button" className="btn small secondary" onClick={runPrecheck}>
              重新自检
            </button>
          )}
        </section>
      )}

      <section className="panel">
        <h2>申请表</h2>
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (timer.current) clearTimeout(timer.current);
            void doSave();
          }}
        >
          {c.form.fields.map((f) => (
            <FormFieldInput key={f.id} field={f} value={answers[f.id] ?? ''} onChange={(v) => change(f.id, v)} error={err(f.id)} />
          ))}
        </form>
      </section>

      <section className="panel">
        <h2>申请材料</h2>
        <p className="muted">
          请上传与您情况相符的材料扫描件或照片（{limitsText(c.form.limits)}
          ）。标“可容缺”的材料暂时没有也可以提交，受理时签署承诺书后在规定期限内补交。
        </p>
        {shown.length === 0 ? (
          <p>本事项无需上传材料。</p>
        ) : (
          <ol className="mats">
            {shown.map((m) => (
              <MaterialUpload
                key={m.index}
                caseId={c.id}
                material={m}
                files={c.materials.filter((x) => x.materialIndex === m.index)}
                allFiles={c.materials}
                limits={c.form.limits}
                canUpload
                canDelete={() => true}
                onChanged={refresh}
              />
            ))}
          </ol>
        )}
        {notNeeded.length > 0 && (
          <details className="excluded">
            <summary>按您的回答无需提供的材料（{notNeeded.length}）</summary>
            <ul>
              {notNeeded.map((m) => (
                <li key={m.index}>
                  {m.name}
                  {m.condition ? `（适用：${m.condition}）` : ''}
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>

      <section className="panel submit-panel">
        <h2>提交申请</h2>
        {c.missing.length > 0 && missing.length === 0 && (
          <p className="muted">尚未上传：{c.missing.map((m) => `${m.name}${m.tolerable ? '（可容缺）' : ''}`).join('、')}</p>
        )}
        {missing.length > 0 && (
          <div className="error-box" role="alert" tabIndex={-1} ref={missingRef}>
            <p>
              <strong>还有必需的材料没有上传：</strong>
            </p>
            <ul>
              {missing.map((m) => (
                <li key={m.index}>{m.name}</li>
              ))}
            </ul>
          </div>
        )}
        {submitErr && (
          <div className="error-box" role="alert" tabIndex={-1} ref={submitErrRef}>
            <p>{submitErr}</p>
          </div>
        )}
        <p className="muted">提交后申请表不能再修改；经办机构受理前您可以撤回申请。</p>
        {blocking.length > 0 && (
          <div className="warn-box inner precheck-warning" id="precheck-warning">
            <p>
              <strong>
                <span aria-hidden="true">⚠ </span>提交后经办机构将不予受理，原因如上
              </strong>
              （见上方“办理条件自检”）。您仍可以提交申请，经办机构将出具书面的不予受理决定并说明理由。
            </p>
          </div>
        )}
        <button
          type="button"
          className="btn wide primary"
          onClick={submit}
          disabled={submitting}
          aria-describedby={blocking.length > 0 ? 'precheck-warning' : undefined}
        >
          {submitting ? '正在提交…' : '提交申请'}
        </button>
      </section>
    </article>
  );
}
