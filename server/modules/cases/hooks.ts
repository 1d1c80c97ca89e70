/**
 * The case hub's plug points (in the spirit of Vendure's process hooks). cases owns a case's life;
 * other modules plug in here, once, from boot.ts — never from a route:
 *
 * - `intake`: may refuse a case being started, submitted or registered by staff — emergency's 暂缓办理;
 * - `fact`: adds a guard fact the workflow table reads — emergency's 先自动通过 day;
 * - `effect`: runs inside a transition, before its notice, in the same transaction — registry's
 *   completion effects and the 转移接续 start; it may add a line and a result document to the notice;
 * - `after`: runs once a transition (by action name) is complete — emergency's auto-pass, which
 *   fires further transitions.
 *
 * Registration is by name, so booting twice in one process (tests) replaces rather than repeats.
 */
import type { CaseChannel } from '../../../common/api-cases.ts';
import type { CaseState, GuardFacts, Transition } from '../../../common/workflow.ts';
import type { Ctx } from '../../http/actor.ts';
import type { CaseRow } from './repository.ts';
import type { CaseItem } from './items.ts';
import type { Storage } from '../../platform/storage.ts';
import type { NoticeEnv } from './notices.ts';

/** What a case's transitions need besides the database: files, fonts and the public address. */
export interface CaseEnv extends NoticeEnv {
  storage: Storage;
  /** Bytes a (non-staff) account may upload per day (config UPLOAD_DAILY_BYTES). */
  uploadBytesPerDay: number;
}

export interface IntakeHook {
  (ctx: Ctx, q: { agencyCode: string; itemCode: string; channel: CaseChannel }): Promise<void>;
}

export interface FactHook {
  (ctx: Ctx, c: CaseRow): Promise<Partial<GuardFacts>>;
}

export interface EffectArgs {
  ctx: Ctx;
  env: CaseEnv;
  /** The case as the transition wrote it. */
  row: CaseRow;
  ci: CaseItem;
  /** The state the transition entered. */
  to: CaseState;
}

export interface EffectOutcome {
  /** The hook changed the case row (its clock, say): the hub reads it again. */
  caseChanged?: boolean;
  /** The hook changed the registry: nothing remembered about it in this request holds. */
  registryChanged?: boolean;
  /** A line for the transition's notice. */
  effectSummary?: string;
  /** A result document issued beside the notice, named in the applicant's message. */
  resultTitle?: string;
}

export interface EffectHook {
  /** Which transitions it plugs into: by target state, by clock effect, or both (all must match). */
  when: { to?: CaseState; clock?: Transition['clock'] };
  run(a: EffectArgs): Promise<EffectOutcome | null>;
}

export interface AfterHook {
  /** The actions after which it runs (`submit` and `register` name the two ways into the queue). */
  actions: readonly string[];
  /** Answers whether it changed the case (the hub then reads it again and forgets what it remembered). */
  run(ctx: Ctx, env: CaseEnv, row: CaseRow): Promise<boolean>;
}

const intake = new Map<string, IntakeHook>();
const facts = new Map<string, FactHook>();
const effects = new Map<string, EffectHook>();
const after = new Map<string, AfterHook>();

export const caseHooks = {
  onIntake(name: string, h: IntakeHook): void {
    intake.set(name, h);
  },
  addFact(name: string, h: FactHook): void {
    facts.set(name, h);
  },
  onTransition(name: string, h: EffectHook): void {
    effects.set(name, h);
  },
  after(name: string, h: AfterHook): void {
    after.set(name, h);
  },
};

export async function runIntake(ctx: Ctx, q: Parameters<IntakeHook>[1]): Promise<void> {
  for (const h of intake.values()) await h(ctx, q);
}

export async function hookFacts(ctx: Ctx, c: CaseRow): Promise<Partial<GuardFacts>> {
  const out: Partial<GuardFacts> = {};
  for (const h of facts.values()) Object.assign(out, await h(ctx, c));
  return out;
}

export function effectHooksFor(t: Transition, to: CaseState): EffectHook[] {
  return [...effects.values()].filter(
    (h) => (h.when.to === undefined || h.when.to === to) && (h.when.clock === undefined || h.when.clock === t.clock),
  );
}

export function afterHooksFor(action: string): AfterHook[] {
  return [...after.values()].filter((h) => h.actions.includes(action));
}
