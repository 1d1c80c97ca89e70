/** The rules' verdict (办理前自检 and 规则核验) and the computed benefit (待遇核算), shared by the apply and case pages. */
import type { CaseDetail, EvaluationOut } from '../../lib/api.ts';

export type Evaluation = EvaluationOut;
type RuleResult = Evaluation['results'][number];
type Benefit = NonNullable<CaseDetail['benefit']>;

export const RULE_KIND_LABELS: Record<RuleResult['kind'], string> = {
  eligibility: '办理条件',
  prohibition: '禁办情形',
  tolerance_exclusion: '不适用容缺',
};

/** A rule that applies to this person and is not met. */
export const isFailed = (r: RuleResult) => r.applies && !r.passed;

/** Failed rules that make the case unacceptable (eligibility and 禁办), as opposed to 容缺 exclusions. */
export const blockingFailures = (ev: Evaluation | null | undefined): RuleResult[] =>
  ev ? ev.results.filter((r) => isFailed(r) && r.kind !== 'tolerance_exclusion') : [];

const yuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** ¥28,600.00 */
export function fmtYuan(amount: number): string {
  return `¥${yuan.format(amount)}`;
}

const BENEFIT_LABELS: Record<string, string> = { maternity_allowance: '生育津贴' };

/** 「查看依据」: the guide's wording and the registry facts the rule read. */
function Basis({ r }: { r: RuleResult }) {
  if (!r.source && r.facts.length === 0) return null;
  return (
    <details className="rule-basis">
      <summary>查看依据</summary>
      {r.source && (
        <p className="rule-source">
          <span className="muted">办事指南：</span>
          {r.source}
        </p>
      )}
      {r.facts.length > 0 && (
        <dl className="rule-facts">
          {r.facts.map((f, i) => (
            <div key={i}>
              <dt>{f.label}</dt>
              <dd>{f.display}</dd>
            </div>
          ))}
        </dl>
      )}
    </details>
  );
}

/** The applicant's pre-check result (inside the page's live region). */
export function PrecheckResult({ ev }: { ev: Evaluation }) {
  const failed = ev.results.filter(isFailed);
  return (
    <div className="precheck-result">
      {!ev.known && (
        <p className="rule-unknown">
          <span aria-hidden="true">ℹ </span>参保信息库中没有您的记录，受理时将人工核实。
        </p>
      )}
      {ev.known && failed.length === 0 && (
        <p className="rule-pass">
          <span aria-hidden="true">✓ </span>根据您的参保信息，符合本事项的办理条件。
        </p>
      )}
      {failed.length > 0 && (
        <>
          <p className="rule-fail-head">
            <span aria-hidden="true">⚠ </span>
            根据您的参保信息，有 {failed.length} 项需要注意：
          </p>
          <ul className="rule-list">
            {failed.map((r) => (
              <li key={r.code} className={`rule fail k-${r.kind}`}>
                <span className="tag warn">{RULE_KIND_LABELS[r.kind]}</span>
                <p className="rule-reason">{r.reason}</p>
                <Basis r={r} />
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small">依据参保信息库截至 {ev.asOf} 的记录自动核验，仅供参考，以经办机构受理审核结果为准。</p>
    </div>
  );
}

const STATUS = {
  pass: { icon: '✓', text: '通过', cls: 'ok' },
  fail: { icon: '✗', text: '未通过', cls: 'warn' },
  na: { icon: '–', text: '不适用', cls: '' },
} as const;

/** 规则核验 for staff: every rule with its status (icon and words), the reason when failed, and its basis. */
export function RuleCheckPanel({ ev }: { ev: Evaluation }) {
  const failed = ev.results.filter(isFailed);
  const blocking = blockingFailures(ev);
  return (
    <section className={`panel rule-check${blocking.length ? ' warn-box' : ''}`} aria-labelledby="rule-check-h">
      <h2 id="rule-check-h">规则核验</h2>
      <p className={blocking.length ? 'rule-fail-head' : failed.length ? '' : 'rule-pass'}>
        {!ev.known
          ? '参保信息库中没有申请人的记录，请人工核实参保情况。'
          : blocking.length
            ? `${blocking.length} 项办理条件或禁办情形未通过，不能受理。`
            : failed.length
              ? '办理条件均已满足；有不适用容缺受理的情形。'
              : '办理条件均已满足，未发现禁办情形。'}
        <span className="muted small"> （截至 {ev.asOf}）</span>
      </p>
      {ev.results.length === 0 ? (
        <p className="muted">本事项没有可自动核验的规则。</p>
      ) : (
        <ul className="rule-list">
          {ev.results.map((r) => {
            const st = STATUS[!r.applies ? 'na' : r.passed ? 'pass' : 'fail'];
            return (
              <li key={r.code} className={`rule${isFailed(r) ? ' fail' : ''}`}>
                <div className="rule-head">
                  <span className={`rule-status ${st.cls}`}>
                    <span aria-hidden="true">{st.icon} </span>
                    {st.text}
                  </span>
                  <span className="tag">{RULE_KIND_LABELS[r.kind]}</span>
                  <span className="mono small muted">{r.code}</span>
                </div>
                {isFailed(r) && r.reason && <p className="rule-reason">{r.reason}</p>}
                <Basis r={r} />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** 待遇核算: the amount (or why it cannot be computed), paid or estimated, and the calculation step by step. */
export function BenefitPanel({ b }: { b: Benefit }) {
  const label = BENEFIT_LABELS[b.label] ?? b.label;
  return (
    <section className="panel benefit" aria-labelledby="benefit-h">
      <h2 id="benefit-h">待遇核算</h2>
      <div className="benefit-head">
        <p className="benefit-label">{label}</p>
        {b.amount !== null ? (
          <p className="benefit-amount">
            <strong>{fmtYuan(b.amount)}</strong>
            <span className={`tag ${b.paid ? 'ok' : ''}`}>{b.paid ? '已支付' : '预计'}</span>
          </p>
        ) : (
          <p className="benefit-problem">{b.problem ?? '暂无法核算。'}</p>
        )}
      </div>
      {!b.paid && b.amount !== null && <p className="muted small">按当前参保信息和申请表预计，实际金额以审核结果为准。</p>}
      {b.example && (
        <p className="warn-box inner" role="note">
          <span aria-hidden="true">⚠ </span>
          <strong>示例参数，非经办机构公布标准</strong>：本核算使用的计发参数为示例，仅供参考。
        </p>
      )}
      {b.trace.length > 0 && (
        <>
          <h3 className="benefit-trace-h">核算过程</h3>
          <ol className="benefit-trace">
            {b.trace.map((t, i) => (
              <li key={i}>
                <div className="trace-step">
                  <span>{t.step}</span>
                  {t.formula && <span className="trace-formula muted small">{t.formula}</span>}
                </div>
                <span className="trace-value">{t.value}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
