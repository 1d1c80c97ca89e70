/**
 * 规则版本: the agency's rules with the version in force (list), and one rule's versions as YAML
 * with an editor that checks (dry run) and publishes a new version. Invalid YAML/JSON is answered
 * with the line and column; schema problems with the field they concern.
 */
import { useId, useRef, useState } from 'react';
import { ApiError, type FieldProblem } from '../../lib/api.ts';
import { fmtDateTime } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { Notice } from '../../components/Form.tsx';
import { AdminPage, Publisher, StateTag, problemsOf, type AdminCtx } from './parts.tsx';
import { useLoad } from '../../lib/useLoad.ts';
import { Pending } from '../../components/Layout.tsx';
import type { RuleDetailOut } from './adminApi.ts';

/** common/rules/format.ts RULE_KIND_LABELS (not imported: it brings zod into the bundle). */
const KIND_LABELS: Record<string, string> = { eligibility: '办理条件', prohibition: '禁办情形', tolerance_exclusion: '不适用容缺' };

export function RulesPage() {
  return <AdminPage title="规则版本">{(ctx) => <RuleList ctx={ctx} />}</AdminPage>;
}

function RuleList({ ctx }: { ctx: AdminCtx }) {
  const { data, error, reload: load } = useLoad(() => ctx.api.rules(), [ctx.api]);
  const [q, setQ] = useState('');
  const [kind, setKind] = useState('');
  const fid = useId();
  if (error || !data) return <Pending error={error} retry={load} />;
  const t = q.trim().toUpperCase();
  const rows = data.items.filter(
    (r) => (!kind || r.kind === kind) && (!t || r.code.includes(t) || r.items.some((i) => i.includes(t)) || r.source.toUpperCase().includes(t)),
  );
  return (
    <>
      <p className="muted">
        规则随数据文件导入，管理员可以发布新版本：每天使用当天生效的最高版本，办件的规则核验按核验当天的版本进行。新版本的生效日期不能早于今天。
      </p>
      <form className="admin-filter" role="search" aria-label="筛选规则" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={`${fid}-q`}>规则编码、事项编码或依据</label>
          <input id={`${fid}-q`} type="search" value={q} onChange={(e) => setQ(e.target.value)} maxLength={50} />
        </div>
        <div className="field">
          <label htmlFor={`${fid}-kind`}>类型</label>
          <select id={`${fid}-kind`} value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">全部</option>
            {Object.entries(KIND_LABELS).map(([k, l]) => (
              <option key={k} value={k}>
                {l}
              </option>
            ))}
          </select>
        </div>
      </form>
      <div className="table-wrap">
        <table className="stack admin-table">
          <caption>
            共 {rows.length} 条规则{rows.length !== data.items.length ? `（全部 ${data.items.length} 条）` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">规则编码</th>
              <th scope="col">类型</th>
              <th scope="col">适用事项</th>
              <th scope="col" className="nowrap">
                现行版本
              </th>
              <th scope="col">依据</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.code}>
                <td data-label="规则编码" className="nowrap">
                  <Link href={ctx.href(`/admin/rules/${encodeURIComponent(r.code)}`)} className="mono">
                    {r.code}
                  </Link>
                </td>
                <td data-label="类型" className="nowrap">
                  {KIND_LABELS[r.kind] ?? r.kind}
                </td>
                <td data-label="适用事项" className="admin-codes">
                  {/* each code whole: a line breaks after a 、, not inside HC-19 at its hyphen */}
                  {r.items.includes('*')
                    ? '全部事项'
                    : r.items.map((c, i) => (
                        <span key={c} className="nowrap">
                          {c}
                          {i < r.items.length - 1 ? '、' : ''}
                        </span>
                      ))}
                </td>
                <td data-label="现行版本" className="nowrap">
                  {r.inForce ? `第 ${r.inForce} 版` : '无'}
                  {r.versionCount > 1 && <span className="muted small">（共 {r.versionCount} 版）</span>}
                  {r.scheduled && (
                    <>
                      {' '}
                      <span className="tag info">有待生效版本</span>
                    </>
                  )}
                </td>
                <td data-label="依据">
                  {r.source}
                  {r.basis === 'platform' && (
                    <>
                      {' '}
                      <span className="tag">平台政策</span>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function RulePage({ code }: { code: string }) {
  return (
    <AdminPage title={`规则 ${code}`} crumbs={[{ href: '/admin/rules', label: '规则版本' }]}>
      {(ctx) => <RuleDetail ctx={ctx} code={code} />}
    </AdminPage>
  );
}

/** The latest version's YAML as the start of the next one: version + 1, effective today. */
function nextDraft(d: RuleDetailOut): string {
  const latest = d.versions[0]!;
  return latest.yaml.replace(/^version: \d+$/m, `version: ${latest.version + 1}`).replace(/^effectiveFrom: .*$/m, `effectiveFrom: "${d.today}"`);
}

function RuleDetail({ ctx, code }: { ctx: AdminCtx; code: string }) {
  const [text, setText] = useState<string | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [errorLine, setErrorLine] = useState<number | null>(null);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const ta = useRef<HTMLTextAreaElement>(null);
  const fid = useId();
  // The first version loaded starts the editor's draft.
  const {
    data,
    error,
    reload: load,
  } = useLoad(async () => {
    const d = await ctx.api.rule(code);
    setText((t) => t ?? nextDraft(d));
    return d;
  }, [ctx.api, code]);

  const send = async (dryRun: boolean) => {
    if (text === null) return;
    setBusy(true);
    setMsg(null);
    try {
      const out = await ctx.api.publishRule(code, text, dryRun);
      setProblems([]);
      setErrorLine(null);
      if (dryRun) setMsg({ kind: 'info', text: `检查通过：可以发布第 ${out.version} 版，自 ${out.effectiveFrom} 起生效。` });
      else {
        setMsg({ kind: 'ok', text: `已发布规则 ${out.code} 第 ${out.version} 版，自 ${out.effectiveFrom} 起生效。` });
        const d = await load();
        if (d) setText(nextDraft(d));
      }
    } catch (e) {
      const p = problemsOf(e);
      setProblems(p);
      const det = e instanceof ApiError && Array.isArray(e.details) ? (e.details[0] as { line?: number } | undefined) : undefined;
      setErrorLine(typeof det?.line === 'number' ? det.line : null);
    } finally {
      setBusy(false);
    }
  };

  const goToLine = (line: number) => {
    const el = ta.current;
    if (!el || text === null) return;
    const lines = text.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  };

  if (error || !data) return <Pending error={error} retry={load} />;
  const head = data.versions.find((v) => v.version === data.inForce) ?? data.versions[0]!;
  const doc = head.doc as { kind?: string; items?: string[]; source?: string; reason?: string };
  return (
    <>
      <dl className="kv admin-kv panel">
        <dt>类型</dt>
        <dd>{KIND_LABELS[doc.kind ?? ''] ?? doc.kind}</dd>
        <dt>适用事项</dt>
        <dd>{doc.items?.includes('*') ? '全部事项' : doc.items?.join('、')}</dd>
        <dt>现行版本</dt>
        <dd>{data.inForce ? `第 ${data.inForce} 版` : '今天没有生效的版本'}</dd>
        <dt>依据</dt>
        <dd>{doc.source}</dd>
        <dt>不通过时</dt>
        <dd>{doc.reason}</dd>
      </dl>

      <h2>版本</h2>
      <ul className="admin-versions">
        {data.versions.map((v) => (
          <li key={v.version}>
            <details open={v.version === head.version}>
              <summary>
                <strong>第 {v.version} 版</strong> <StateTag state={v.state} /> {v.effectiveFrom}
                {v.effectiveTo ? ` 至 ${v.effectiveTo}` : ' 起'} ·{' '}
                <span className="muted small">
                  <Publisher origin={v.origin} by={v.publishedBy} />
                  {v.origin === 'file' ? `（${v.sourceFile}）` : ''} · {fmtDateTime(v.publishedAt)}
                </span>
              </summary>
              <pre className="admin-yaml" tabIndex={0} aria-label={`第 ${v.version} 版的 YAML`}>
                {v.yaml}
              </pre>
            </details>
          </li>
        ))}
      </ul>

      {data.canPublish && text !== null && (
        <form
          className="panel admin-editor"
          aria-labelledby={`${fid}-h`}
          onSubmit={(e) => {
            e.preventDefault();
            void send(false);
          }}
        >
          <h2 id={`${fid}-h`}>发布新版本</h2>
          <p className="muted small">
            已按最新版本填好：版本号加 1，生效日期为今天。修改后先“检查”，再发布。也可以粘贴
            JSON。发布前按数据文件的同一套规则校验（事实名称、参数、理由中的占位符、适用事项）。
          </p>
          {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
          {problems.length > 0 && (
            <div className="error-box" role="alert" id={`${fid}-err`}>
              <p>
                <strong>{problems.length > 1 ? `有 ${problems.length} 处问题，未能发布：` : '未能发布：'}</strong>
              </p>
              <ul>
                {problems.map((p, i) => (
                  <li key={i}>
                    {p.field && p.field !== 'text' && <code className="admin-path">{p.field}</code>} {p.message}
                  </li>
                ))}
              </ul>
              {errorLine !== null && (
                <button type="button" className="btn small secondary" onClick={() => goToLine(errorLine)}>
                  跳到第 {errorLine} 行
                </button>
              )}
            </div>
          )}
          <div className={`field${problems.length ? ' has-error' : ''}`}>
            <label htmlFor={`${fid}-text`}>规则内容（YAML 或 JSON）</label>
            <textarea
              id={`${fid}-text`}
              ref={ta}
              className="mono admin-code"
              rows={Math.min(30, Math.max(12, text.split('\n').length + 1))}
              spellCheck={false}
              autoCapitalize="off"
              autoCorrect="off"
              maxLength={20000}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setMsg(null);
              }}
              aria-invalid={problems.length ? true : undefined}
              aria-describedby={problems.length ? `${fid}-err` : undefined}
            />
          </div>
          <div className="actions-row">
            <button type="button" className="btn secondary" disabled={busy} onClick={() => void send(true)}>
              检查
            </button>
            <button type="submit" className="btn" disabled={busy}>
              {busy ? '请稍候…' : '发布新版本'}
            </button>
            <button
              type="button"
              className="btn secondary"
              disabled={busy}
              onClick={() => {
                if (window.confirm('放弃修改，恢复为最新版本的内容？')) {
                  setText(nextDraft(data));
                  setProblems([]);
                  setMsg(null);
                }
              }}
            >
              恢复
            </button>
          </div>
        </form>
      )}
    </>
  );
}
