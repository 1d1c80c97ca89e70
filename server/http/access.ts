/**
 * Access checks the routes call, under one scheme: `requireX(req)` answers the actor or refuses
 * (AUTH_REQUIRED / FORBIDDEN); `adminScope` answers the agency an admin acts for. And `makeCtx`, the
 * request's service context. The actor itself is put on the request by accounts (registerAuth).
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { AppError } from '../../common/errors.ts';
import type { StaffRole } from '../../common/workflow.ts';
import type { DB } from '../db/types.ts';
import { chinaDate, type Clock } from '../platform/clock.ts';
import type { Actor, Ctx, UserActor } from './actor.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    sessionCsrf: string | null;
  }
}

export function requireUser(req: FastifyRequest): UserActor {
  if (req.actor.kind !== 'user') throw new AppError('AUTH_REQUIRED');
  return req.actor;
}

export function requireApplicant(req: FastifyRequest): UserActor {
  const a = requireUser(req);
  if (a.userKind === 'staff') throw new AppError('FORBIDDEN', '工作人员账号不能以申请人身份办理，请使用“代为登记”。');
  return a;
}

export function requireStaff(req: FastifyRequest, roles?: readonly StaffRole[]): UserActor {
  requireUser(req);
  return requireStaffActor(req.actor, roles);
}

/** requireStaff on an actor (services check ctx.actor with it). */
export function requireStaffActor(a: Actor, roles?: readonly StaffRole[]): UserActor {
  if (a.kind !== 'user') throw new AppError('AUTH_REQUIRED');
  if (a.userKind !== 'staff' || !a.agencyCode) throw new AppError('FORBIDDEN');
  if (roles && !a.roles.some((r) => roles.includes(r))) throw new AppError('FORBIDDEN');
  return a;
}

export type UnitClerk = UserActor & { unitId: number };

/**
 * A unit's approved clerk (单位经办人): services call it on ctx.actor, routes through requireUnitClerk.
 * A unit account whose request is not (or no longer) approved has no unit (users.unit_id is set on
 * approval and cleared on revocation, and the actor is read afresh on every request): UNIT_CLERK_NOT_APPROVED.
 * Any other account: FORBIDDEN.
 */
export function unitClerkOf(a: Actor): UnitClerk {
  if (a.kind !== 'user' || a.userKind !== 'unit') throw new AppError('FORBIDDEN', '只有单位经办人账号可以办理增减员。');
  if (a.unitId === null) throw new AppError('UNIT_CLERK_NOT_APPROVED');
  return a as UnitClerk;
}

export function requireUnitClerk(req: FastifyRequest): UnitClerk {
  requireUser(req);
  return unitClerkOf(req.actor);
}

export function makeCtx(req: FastifyRequest, db: Kysely<DB>, clock: Clock): Ctx {
  const now = clock.now();
  return { db, now, today: chinaDate(now), actor: req.actor, requestId: req.id, ip: req.ip };
}

/** Roles that change admin data. */
export const WRITE_ROLES: readonly StaffRole[] = ['agency_admin', 'sysadmin'];
/** Roles that read benefit parameters and rule versions (they check cases against them). */
export const RULE_READ_ROLES: readonly StaffRole[] = ['agency_admin', 'sysadmin', 'supervisor', 'reviewer'];

export interface AdminScope {
  actor: UserActor;
  agency: string;
  /** May change this agency's data. */
  canWrite: boolean;
}

/** The staff member and the agency they act for; another agency only for a system admin. */
export function adminScope(req: FastifyRequest, roles: readonly StaffRole[] | undefined, agency: string | undefined): AdminScope {
  const actor = requireStaff(req, roles);
  const own = actor.agencyCode!;
  const sys = actor.roles.includes('sysadmin');
  if (agency && agency !== own && !sys) throw new AppError('FORBIDDEN', '只能查看和管理本机构的数据。');
  return { actor, agency: agency ?? own, canWrite: actor.roles.some((r) => WRITE_ROLES.includes(r)) };
}

export function requireWrite(s: AdminScope): void {
  if (!s.canWrite) throw new AppError('FORBIDDEN', '只有机构管理员可以修改这些数据。');
}
