/**
 * Who may see and act on a case. Applicants see their own cases (or their unit's); staff see
 * their agency's. Anyone else gets "not found", so ids reveal nothing.
 */
import type { SelectQueryBuilder } from 'kysely';
import { AppError } from '../../../common/errors.ts';
import type { ActorRole, StaffRole } from '../../../common/workflow.ts';
import type { DB } from '../../db/types.ts';
import type { Actor, UserActor } from '../../http/actor.ts';
import type { CaseRow } from './repository.ts';

/** Who enters a 手工报销 bill, and while the case is in review. */
export const BILL_ROLES: readonly StaffRole[] = ['reviewer', 'rechecker', 'agency_admin'];
export const BILL_STATUSES: readonly string[] = ['reviewing', 'rechecking'];

/** Whether this staff member may enter the itemised bill of this case now. */
export function mayEnterBill(actor: Actor, status: string): boolean {
  return actor.kind === 'user' && actor.userKind === 'staff' && BILL_STATUSES.includes(status) && actor.roles.some((r) => BILL_ROLES.includes(r));
}

/** Accounts that stand for one person (citizen, 代办人): their ID number must be verified before registry facts. */
export function isPersonal(actor: Actor): actor is UserActor {
  return actor.kind === 'user' && (actor.userKind === 'citizen' || actor.userKind === 'agent');
}

export function canSee(actor: Actor, c: Pick<CaseRow, 'owner_user_id' | 'unit_id' | 'agency_code'>): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  if (actor.userKind === 'staff') return actor.agencyCode === c.agency_code;
  // A unit's case is the unit's: seen by its approved clerks only, so a revoked clerk loses even the ones they filed.
  if (actor.userKind === 'unit' && c.unit_id !== null) return actor.unitId !== null && Number(c.unit_id) === actor.unitId;
  return c.owner_user_id !== null && Number(c.owner_user_id) === actor.id;
}

export function assertVisible<T extends Pick<CaseRow, 'owner_user_id' | 'unit_id' | 'agency_code'>>(actor: Actor, c: T | undefined): T {
  if (!c || !canSee(actor, c)) throw new AppError('CASE_NOT_FOUND');
  return c;
}

/** Workflow roles the actor holds on this case. */
export function rolesOn(actor: Actor, c: Pick<CaseRow, 'owner_user_id' | 'unit_id' | 'agency_code'>): ActorRole[] {
  if (actor.kind === 'system') return ['system'];
  if (actor.kind !== 'user' || !canSee(actor, c)) return [];
  if (actor.userKind !== 'staff') return ['applicant'];
  const out: ActorRole[] = [];
  for (const r of actor.roles)
    if (r === 'acceptor' || r === 'reviewer' || r === 'rechecker' || r === 'agency_admin' || r === 'supervisor') out.push(r);
  return out;
}

/** Restrict a query on `cases` to what the actor may see. */
export function scopeCases<O>(q: SelectQueryBuilder<DB, 'cases', O>, actor: Actor): SelectQueryBuilder<DB, 'cases', O> {
  if (actor.kind === 'system') return q;
  if (actor.kind !== 'user') return q.where('cases.id', '=', -1);
  if (actor.userKind === 'staff') return q.where('cases.agency_code', '=', actor.agencyCode ?? '');
  if (actor.userKind === 'unit') {
    const unitId = actor.unitId;
    return q.where((eb) =>
      eb.or([
        eb.and([eb('cases.owner_user_id', '=', actor.id), eb('cases.unit_id', 'is', null)]),
        ...(unitId === null ? [] : [eb('cases.unit_id', '=', unitId)]),
      ]),
    );
  }
  return q.where('cases.owner_user_id', '=', actor.id);
}
