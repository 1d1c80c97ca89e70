/** The staff case page's form for one case action. */
import { useId, useState, type FormEvent } from 'react';
import { api, asApiError, type ActionIn, type CaseDetail } from '../../lib/api.ts';
import { blockingFailures } from '../cases/rules.tsx';
import type { Action, Result } from './staff-case-parts.ts';

/** The inputs an action requires (reasons, materials_list, pledge, note, facts), then the action button. */
export function ActionForm({
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
