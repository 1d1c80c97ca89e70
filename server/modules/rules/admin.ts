/**
 * Admin changes to rules and benefit parameters without a deploy. Versions are appended, never
 * edited; a new version takes effect today or later (never in the past) and the highest version in
 * force on a day is the one used that day. Each publication is checked with the same schemas and
 * cross-checks the data-file loader uses (common/rules/, common/benefits.ts), records who
 * published it, and is audited in the same transaction.
 *
 * Cases do not pin rule versions: every evaluation (pre-check, acceptance, the staff view) uses the
 * versions in force on its own day (RuleResult.version records which). Benefit amounts are computed
 * the same way. Pinned per case is the catalogue item version (item_versions.id).
 */
import { sql } from 'kysely';
import { parse as parseYaml, stringify as toYaml, YAMLParseError } from 'yaml';
import { benefitParams as benefitParamsSchema, checkBenefitParams, type BenefitParams } from '../../../common/benefits.ts';
import { checkRules, inForce, rule as ruleSchema, type Rule } from '../../../common/rules/index.ts';
import { parseZh, type BenefitKindOut, type BenefitVersionOut, type RuleDetailOut, type RuleSummaryOut } from '../../../common/api-admin.ts';
import { effectiveFromProblem } from '../../../common/admin.ts';
import { AppError } from '../../../common/errors.ts';
import type { Ctx } from '../../http/actor.ts';
import { auditAdmin, publisherLabel } from '../audit/index.ts';
import type { Db } from '../../db/index.ts';

/** pg_advisory_xact_lock(int4 key, hashtext(agency)) serialises publications per agency. */
const PUBLISH_LOCK = 730_114;

type State = BenefitVersionOut['state'];

/** in_force for the highest version in force today; the others by their dates. */
function states<T extends { version: number; effectiveFrom: string; effectiveTo?: string | null }>(
  versions: T[],
  today: string,
): { inForce: number | null; state: (v: T) => State } {
  const live = versions.filter((v) => inForce({ effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo ?? undefined }, today));
  const top = live.length ? Math.max(...live.map((v) => v.version)) : null;
  return {
    inForce: top,
    state: (v) =>
      v.version === top ? 'in_force' : v.effectiveFrom > today ? 'scheduled' : v.effectiveTo && v.effectiveTo < today ? 'expired' : 'superseded',
  };
}

async function itemCodes(db: Db, agency: string): Promise<Set<string>> {
  const rows = await db.selectFrom('item_versions').select('code').distinct().where('agency_code', '=', agency).execute();
  return new Set(rows.map((r) => r.code));
}

async function lockAgency(db: Db, agency: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(PUBLISH_LOCK)}, hashtext(${agency}))`.execute(db);
}

const iso = (d: Date | string) => new Date(d).toISOString();

// ---------------------------------------------------------------------------------------------
// 待遇参数

interface ParamRow {
  params: BenefitParams;
  createdAt: string;
  publishedBy: string | null;
  origin: 'file' | 'admin';
}

/** Every benefit+version an agency holds with who published it (a later load of the same pair replaces the earlier). */
async function paramRows(db: Db, agency: string): Promise<ParamRow[]> {
  const rows = await db
    .selectFrom('benefit_params')
    .select(['doc', 'created_at', 'published_by', 'source_hash'])
    .where('agency_code', '=', agency)
    .orderBy('id')
    .execute();
  const byKey = new Map<string, ParamRow>();
  for (const r of rows)
    for (const d of r.doc as unknown[]) {
      const p = benefitParamsSchema.parse(d);
      byKey.set(`${p.benefit}@${p.version}`, {
        params: p,
        createdAt: iso(r.created_at),
        publishedBy: r.published_by,
        origin: r.published_by !== null || r.source_hash.startsWith('admin:') ? 'admin' : 'file',
      });
    }
  return [...byKey.values()];
}

/** Per benefit kind: the version in force today and the history, newest first. */
export async function benefitOverview(db: Db, agency: string, today: string): Promise<{ items: BenefitParams[]; benefits: BenefitKindOut[] }> {
  const rows = await paramRows(db, agency);
  const kinds = [...new Set(rows.map((r) => r.params.benefit))];
  const benefits = kinds.map((benefit): BenefitKindOut => {
    const mine = rows.filter((r) => r.params.benefit === benefit).sort((a, b) => b.params.version - a.params.version);
    const st = states(
      mine.map((r) => r.params),
      today,
    );
    const head = mine.find((r) => r.params.version === st.inForce) ?? mine[0]!;
    return {
      benefit,
      label: head.params.label,
      calculator: head.params.calculator,
      items: head.params.items,
      inForce: st.inForce,
      latest: mine[0]!.params.version,
      versions: mine.map((r) => ({
        version: r.params.version,
        effectiveFrom: r.params.effectiveFrom,
        effectiveTo: r.params.effectiveTo ?? null,
        source: r.params.source,
        example: r.params.example,
        note: r.params.note ?? null,
        state: st.state(r.params),
        publishedAt: r.createdAt,
        publishedBy: r.publishedBy,
        origin: r.origin,
        params: r.params as unknown as Record<string, unknown>,
      })),
    };
  });
  return { items: rows.map((r) => r.params), benefits };
}

/** Publish a new version of one benefit's parameters (ctx.db is the transaction). */
export async function publishBenefitParams(
  ctx: Ctx,
  agency: string,
  body: unknown,
): Promise<{ benefit: string; version: number; effectiveFrom: string }> {
  const parsed = parseZh(benefitParamsSchema, body);
  if (!parsed.ok)
    throw new AppError(
      'VALIDATION_FAILED',
      `参数不符合格式：${parsed.problems.map((p) => `${p.path ? `${p.path} ` : ''}${p.message}`).join('；')}`,
      parsed.problems,
    );
  const p = parsed.data;
  const past = effectiveFromProblem(p.effectiveFrom, ctx.today);
  if (past) throw new AppError('EFFECTIVE_DATE_PAST', past, [{ path: 'effectiveFrom', message: past }]);
  await lockAgency(ctx.db, agency);
  const existing = (await paramRows(ctx.db, agency)).map((r) => r.params);
  const latest = existing.filter((x) => x.benefit === p.benefit).reduce((m, x) => Math.max(m, x.version), 0);
  if (p.version <= latest) {
    const msg = `版本号须大于现有最高版本 ${latest}。`;
    throw new AppError('VERSION_NOT_NEWER', msg, [{ path: 'version', message: msg }]);
  }
  const problems = checkBenefitParams([...existing, p], await itemCodes(ctx.db, agency));
  if (problems.length)
    throw new AppError(
      'VALIDATION_FAILED',
      problems.join('；'),
      problems.map((m) => ({ path: /事项/.test(m) ? 'items' : /calculator/.test(m) ? 'calculator' : '', message: m })),
    );
  await ctx.db
    .insertInto('benefit_params')
    .values({ agency_code: agency, doc: JSON.stringify([p]), source_hash: `admin:${p.benefit}@${p.version}`, published_by: publisherLabel(ctx) })
    .execute();
  await auditAdmin(ctx, {
    agency,
    action: 'benefit_params.publish',
    subjectKind: 'benefit',
    subjectId: `${agency}/${p.benefit}@${p.version}`,
    data: p,
  });
  return { benefit: p.benefit, version: p.version, effectiveFrom: p.effectiveFrom };
}

// ---------------------------------------------------------------------------------------------
// 规则版本

interface RuleRow {
  rule: Rule;
  createdAt: string;
  publishedBy: string | null;
  sourceFile: string;
}

async function ruleRows(db: Db, agency: string, code?: string): Promise<RuleRow[]> {
  let q = db
    .selectFrom('rule_versions')
    .select(['doc', 'created_at', 'published_by', 'source'])
    .where('agency_code', '=', agency)
    .orderBy('code')
    .orderBy('version', 'desc');
  if (code) q = q.where('code', '=', code);
  const rows = await q.execute();
  return rows.map((r) => ({ rule: ruleSchema.parse(r.doc), createdAt: iso(r.created_at), publishedBy: r.published_by, sourceFile: r.source }));
}

export async function ruleList(db: Db, agency: string, today: string): Promise<RuleSummaryOut[]> {
  const rows = await ruleRows(db, agency);
  const codes = [...new Set(rows.map((r) => r.rule.code))];
  return codes.map((code) => {
    const mine = rows.filter((r) => r.rule.code === code).map((r) => r.rule);
    const st = states(mine, today);
    const head = mine.find((r) => r.version === st.inForce) ?? mine[0]!;
    return {
      code,
      kind: head.kind,
      items: head.items,
      inForce: st.inForce,
      latest: mine[0]!.version,
      versionCount: mine.length,
      scheduled: mine.some((r) => st.state(r) === 'scheduled'),
      source: head.source,
      basis: head.basis,
    };
  });
}

export async function ruleDetail(db: Db, agency: string, code: string, today: string): Promise<Omit<RuleDetailOut, 'canPublish'>> {
  const rows = await ruleRows(db, agency, code);
  if (!rows.length) throw new AppError('RULE_NOT_FOUND', `本机构没有规则 ${code}。`);
  const st = states(
    rows.map((r) => r.rule),
    today,
  );
  return {
    agency,
    code,
    today,
    inForce: st.inForce,
    versions: rows.map((r) => ({
      version: r.rule.version,
      effectiveFrom: r.rule.effectiveFrom,
      effectiveTo: r.rule.effectiveTo ?? null,
      state: st.state(r.rule),
      publishedAt: r.createdAt,
      publishedBy: r.publishedBy,
      origin: r.publishedBy !== null ? 'admin' : 'file',
      sourceFile: r.sourceFile,
      doc: r.rule as unknown as Record<string, unknown>,
      yaml: toYaml(r.rule, { lineWidth: 0 }),
    })),
  };
}

/** The yaml package's commonest syntax errors in plain Chinese (others keep its English text). */
const YAML_ERRORS: [RegExp, string][] = [
  [/^Map keys must be unique/, '键名重复'],
  [/^Nested mappings are not allowed in compact mappings/, '一行里出现了第二个“键: 值”（值里含冒号时请加引号）'],
  [/^Source contains multiple documents/, '只能包含一条规则（一个 YAML 文档）'],
  [/^All (mapping|collection) items must start at the same column/, '同一层级的条目缩进不一致'],
  [/^Implicit keys need to be on a single line/, '键名必须写在同一行'],
  [/^Implicit map keys need to be followed by map values/, '键名后缺少冒号和值'],
  [/^(Missing closing|Expected .*(flow|closing))/, '括号或引号没有闭合'],
  [/^Flow (sequence|mapping) in block collection must be sufficiently indented and end with a/, '方括号或花括号没有闭合，或其中的行缩进不够'],
  [/^Tabs are not allowed as indentation/, '缩进不能使用制表符（Tab），请用空格'],
];

function yamlMessage(english: string): string {
  const first = english.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return YAML_ERRORS.find(([re]) => re.test(first))?.[1] ?? `语法错误（${first}）`;
}

/** A rule document from the editor's YAML or JSON text; syntax errors name the line and column. */
export function parseRuleText(text: string): unknown {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      const where = pos ? `第 ${pos.line} 行第 ${pos.col} 列` : '';
      const msg = `规则内容不是有效的 YAML 或 JSON${where ? `（${where}）` : ''}：${yamlMessage(e.message)}。`;
      throw new AppError('RULE_TEXT_INVALID', msg, [{ path: 'text', message: msg, ...(pos ? { line: pos.line, col: pos.col } : {}) }]);
    }
    throw e;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    const msg = '规则内容应为一条规则（以 code:、agency:、version: 等字段开头的对象），不能是列表或单个值。';
    throw new AppError('RULE_TEXT_INVALID', msg, [{ path: 'text', message: msg }]);
  }
  return doc;
}

/**
 * Publish (or with dryRun only check) a new version of one of the agency's rules: the loader's
 * schema and cross-checks, the same code and agency, a higher version, an effective date not in
 * the past. ctx.db is the transaction; the caller forgets the cached rules after it commits.
 */
export async function publishRule(
  ctx: Ctx,
  agency: string,
  code: string,
  text: string,
  dryRun: boolean,
): Promise<{ code: string; version: number; effectiveFrom: string; dryRun: boolean }> {
  const doc = parseRuleText(text);
  const parsed = parseZh(ruleSchema, doc);
  if (!parsed.ok)
    throw new AppError(
      'VALIDATION_FAILED',
      `规则不符合格式：${parsed.problems.map((p) => `${p.path ? `${p.path} ` : ''}${p.message}`).join('；')}`,
      parsed.problems,
    );
  const r = parsed.data;
  const wrong = [
    ...(r.code !== code ? [{ path: 'code', message: `这里只能发布规则 ${code} 的新版本，code 应为 ${code}。` }] : []),
    ...(r.agency !== agency ? [{ path: 'agency', message: `agency 应为本机构 ${agency}。` }] : []),
  ];
  if (wrong.length) throw new AppError('VALIDATION_FAILED', wrong.map((w) => w.message).join(''), wrong);
  await lockAgency(ctx.db, agency);
  const all = await ruleRows(ctx.db, agency);
  const mine = all.filter((x) => x.rule.code === code);
  if (!mine.length) throw new AppError('RULE_NOT_FOUND', `本机构没有规则 ${code}。`);
  const latest = Math.max(...mine.map((x) => x.rule.version));
  if (r.version <= latest) {
    const msg = `版本号须大于现有最高版本 ${latest}（可填 ${latest + 1}）。`;
    throw new AppError('VERSION_NOT_NEWER', msg, [{ path: 'version', message: msg }]);
  }
  const past = effectiveFromProblem(r.effectiveFrom, ctx.today);
  if (past) throw new AppError('EFFECTIVE_DATE_PAST', past, [{ path: 'effectiveFrom', message: past }]);
  const problems = checkRules([...all.map((x) => x.rule), r], await itemCodes(ctx.db, agency));
  if (problems.length)
    throw new AppError(
      'VALIDATION_FAILED',
      problems.join('；'),
      problems.map((m) => ({ path: /事项/.test(m) ? 'items' : /kind/.test(m) ? 'kind' : '', message: m })),
    );
  if (!dryRun) {
    await ctx.db
      .insertInto('rule_versions')
      .values({ agency_code: agency, code, version: r.version, doc: JSON.stringify(r), source: 'admin', published_by: publisherLabel(ctx) })
      .execute();
    await auditAdmin(ctx, { agency, action: 'rule.publish', subjectKind: 'rule', subjectId: `${agency}/${code}@${r.version}`, data: r });
  }
  return { code, version: r.version, effectiveFrom: r.effectiveFrom, dryRun };
}
