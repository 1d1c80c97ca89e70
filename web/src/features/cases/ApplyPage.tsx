/** 在线申请: resume or start a draft, autosave the form, upload materials, submit. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, asApiError, fieldProblems, type ApiError, type CaseDetail, type FieldProblem } from '../../lib/api.ts';
import { RequireLogin } from '../../lib/auth.tsx';
import { useAsync } from '../../lib/useAsync.ts';
import { Link, navigate } from '../../lib/router.tsx';
import { fmtTime, limitsText } from '../../lib/format.ts';
import { Crumbs, ErrorBox, Loading } from '../../components/Layout.tsx';
import { ErrorSummary, FormFieldInput } from '../../components/Form.tsx';
import { MaterialUpload } from './parts.tsx';

const starting = new Map<string, Promise<CaseDetail>>();

/** The user's draft for this item, or a new one. Deduplicated so a double mount never creates two drafts. */
function startDraft(agency: string, item: string): Promise<CaseDetail> {
  const key = `${agency}/${item}`;
  let p = starting.get(key);
  if (!p) {
    p = (async () => {
      const mine = await api.myCases(1, 1, { status: 'draft', agency, item });
      const d = mine.items[0];
      return d ? api.case(d.id) : api.createCase(agency, item);
    })();
    starting.set(key, p);
    const clear = () => starting.delete(key);
    p.then(clear, clear);
  }
  return p;
}

type SaveState = { kind: 'idle' } | { kind: 'pending' } | { kind: 'saving' } | { kind: 'saved'; at: Date } | { kind: 'error'; message: string };

export function ApplyPage({ agency, item }: { agency: string; item: string }) {
  return <RequireLogin staff={false}>{() => <Apply agency={agency} item={item} />}</RequireLogin>;
}

function Apply({ agency, item }: { agency: string; item: string }) {
  const ag = useAsync(() => api.agency(agency), [agency]);
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

  const load = useCallback(() => {
    setLoadErr(null);
    startDraft(agency, item).then(
      (d) => {
        caseRef.current = d;
        answersRef.current = { ...d.answers };
        setAnswers({ ...d.answers });
        setC(d);
        document.title = `在线申请 · ${d.itemName}`;
      },
      (e) => setLoadErr(asApiError(e)),
    );
  }, [agency, item]);
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

  if (loadErr) return <ErrorBox message={loadErr.message} retry={load} />;
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
      <p className="save-state" role="status" aria-live="polite">
        {save.kind === 'saving' && '正在保存…'}
        {save.kind === 'pending' && '有修改，稍后自动保存'}
        {save.kind === 'saved' && `已自动保存 ${fmtTime(save.at)}`}
        {save.kind === 'idle' && `草稿已保存${c.updatedAt ? ` ${fmtTime(new Date(c.updatedAt))}` : ''}，填写内容会自动保存`}
        {save.kind === 'error' && <span className="bad">自动保存失败：{save.message}</span>}
      </p>
      <ErrorSummary title={`申请表有 ${problems.length} 处需要修改：`} problems={problems} labels={labels} />

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
        <button type="button" className="btn wide primary" onClick={submit} disabled={submitting}>
          {submitting ? '正在提交…' : '提交申请'}
        </button>
      </section>
    </article>
  );
}
