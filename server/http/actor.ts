/** Who is acting. Built from the session by http.ts; services take it inside ctx (DESIGN.md convention 7). */
import type { Kysely } from 'kysely';
import type { DB } from '../db/types.ts';
import type { StaffRole } from '../../common/workflow.ts';

export type UserKind = 'citizen' | 'agent' | 'unit' | 'institution' | 'staff';

export interface UserActor {
  kind: 'user';
  id: number;
  userKind: UserKind;
  name: string;
  login: string;
  mobile: string | null;
  idNo: string | null;
  unitId: number | null;
  agencyCode: string | null;
  officeId: number | null;
  departmentCode: string | null;
  roles: StaffRole[];
  badCredit: boolean;
  /** The ID number is verified (预留手机号 code or a window check); until then it is only a claim. */
  idVerified: boolean;
}
export interface SystemActor {
  kind: 'system';
  label: string;
}
export interface AnonActor {
  kind: 'anonymous';
}
export type Actor = UserActor | SystemActor | AnonActor;

export interface Ctx {
  db: Kysely<DB>;
  now: Date;
  /** China-time business date YYYY-MM-DD. */
  today: string;
  actor: Actor;
  requestId?: string;
  ip?: string;
  /**
   * Answers remembered for the rest of this unit of work (set by a route whose steps read the same
   * facts twice, e.g. submit then present). Only for reads its own steps cannot change.
   */
  memo?: Map<string, Promise<unknown>>;
}

/** `load()` once per ctx.memo and key; without a memo, every call loads. */
export function memoized<T>(ctx: Ctx, key: string, load: () => Promise<T>): Promise<T> {
  if (!ctx.memo) return load();
  let hit = ctx.memo.get(key) as Promise<T> | undefined;
  if (!hit) ctx.memo.set(key, (hit = load()));
  return hit;
}

export function actorLabel(a: Actor): string {
  if (a.kind === 'user') return a.userKind === 'staff' ? `${a.name}（工作人员）` : a.name;
  if (a.kind === 'system') return a.label;
  return '匿名';
}
export function actorId(a: Actor): number | null {
  return a.kind === 'user' ? a.id : null;
}
export function isStaff(a: Actor): a is UserActor {
  return a.kind === 'user' && a.userKind === 'staff';
}
