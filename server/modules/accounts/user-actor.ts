/** The actor a users row stands for. */
import type { Selectable } from 'kysely';
import type { UsersTable } from '../../db/types-cases.ts';
import { STAFF_ROLES, type StaffRole } from '../../../common/workflow.ts';
import type { UserActor, UserKind } from '../../http/actor.ts';

export function userToActor(u: Selectable<UsersTable>): UserActor {
  return {
    kind: 'user',
    id: Number(u.id),
    userKind: u.kind as UserKind,
    name: u.name,
    login: u.login,
    mobile: u.mobile,
    idNo: u.id_no,
    unitId: u.unit_id === null ? null : Number(u.unit_id),
    agencyCode: u.agency_code,
    officeId: u.office_id === null ? null : Number(u.office_id),
    departmentCode: u.department_code,
    roles: (u.roles ?? []).filter((r: string): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r)),
    badCredit: Boolean(u.bad_credit),
    idVerified: u.id_verified_at !== null,
  };
}
