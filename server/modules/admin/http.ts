/**
 * HTTP plumbing for the admin routes: which agency the request acts for (an admin's own; any one
 * for a system admin) and a validator that answers schema problems in Chinese, field by field.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { parseZh } from '../../../common/api-admin.ts';
import { AppError } from '../../../common/errors.ts';
import type { StaffRole } from '../../../common/workflow.ts';
import type { UserActor } from '../accounts/actor.ts';
import { requireStaff } from '../accounts/http.ts';

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

/** Route-level validator: zod with Chinese messages; problems go out as VALIDATION_FAILED details { path, message }. */
export const zhValidator: FastifySchemaCompiler<any> =
  ({ schema }) =>
  (data) => {
    const r = parseZh(schema as z.ZodType, data);
    if (r.ok) return { value: r.data };
    return { error: new AppError('VALIDATION_FAILED', `${r.problems.map((p) => p.message).join('；')}`, r.problems) };
  };
