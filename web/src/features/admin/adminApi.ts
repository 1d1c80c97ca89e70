/** The /api/admin/* client: every call carries `?agency=` when a system admin acts for another agency. */
import { send } from '../../lib/api.ts';
import type {
  BenefitParamsOut,
  DutiesOut,
  InstitutionDetailOut,
  InstitutionIn,
  InstitutionStaffIn,
  InstitutionUpdateIn,
  InstitutionsOut,
  LockoutIn,
  LockoutLiftIn,
  LockoutOut,
  LockoutsOut,
  RuleDetailOut,
  RulesOut,
} from '../../../../common/api-admin.ts';

export type {
  BenefitParamsOut,
  BenefitKindOut,
  BenefitVersionOut,
  InstitutionDetailOut,
  InstitutionIn,
  InstitutionOut,
  InstitutionStaffIn,
  InstitutionStaffOut,
  InstitutionUpdateIn,
  InstitutionsOut,
  LockoutIn,
  LockoutOut,
  LockoutsOut,
  RuleDetailOut,
  RuleSummaryOut,
  RuleVersionOut,
  RulesOut,
} from '../../../../common/api-admin.ts';

function url(path: string, agency: string | null, extra: Record<string, string | undefined> = {}): string {
  const sp = new URLSearchParams();
  if (agency) sp.set('agency', agency);
  for (const [k, v] of Object.entries(extra)) if (v) sp.set(k, v);
  const q = sp.toString();
  return q ? `${path}?${q}` : path;
}
const enc = encodeURIComponent;

export function adminApi(agency: string | null) {
  return {
    benefits: () => send<BenefitParamsOut>('GET', url('/api/admin/benefit-params', agency)),
    publishBenefit: (params: Record<string, unknown>) =>
      send<{ benefit: string; version: number; effectiveFrom: string }>('POST', url('/api/admin/benefit-params', agency), params),
    rules: () => send<RulesOut>('GET', url('/api/admin/rules', agency)),
    rule: (code: string) => send<RuleDetailOut>('GET', url(`/api/admin/rules/${enc(code)}`, agency)),
    publishRule: (code: string, text: string, dryRun: boolean) =>
      send<{ code: string; version: number; effectiveFrom: string; dryRun: boolean }>('POST', url(`/api/admin/rules/${enc(code)}/versions`, agency), {
        text,
        dryRun,
      }),
    institutions: () => send<InstitutionsOut>('GET', url('/api/admin/institutions', agency)),
    institution: (code: string) => send<InstitutionDetailOut>('GET', url(`/api/admin/institutions/${enc(code)}`, agency)),
    createInstitution: (body: InstitutionIn) => send<InstitutionDetailOut>('POST', url('/api/admin/institutions', agency), body),
    updateInstitution: (code: string, body: InstitutionUpdateIn) =>
      send<InstitutionDetailOut>('PUT', url(`/api/admin/institutions/${enc(code)}`, agency), body),
    addStaff: (code: string, body: InstitutionStaffIn) =>
      send<InstitutionDetailOut>('POST', url(`/api/admin/institutions/${enc(code)}/staff`, agency), body),
    endStaff: (code: string, id: number, validTo: string) =>
      send<InstitutionDetailOut>('POST', url(`/api/admin/institutions/${enc(code)}/staff/${id}/end`, agency), { validTo }),
    lockouts: (filter: { idNo?: string; status?: string } = {}) => send<LockoutsOut>('GET', url('/api/admin/lockouts', agency, filter)),
    createLockout: (body: LockoutIn) => send<LockoutOut>('POST', url('/api/admin/lockouts', agency), body),
    duties: () => send<DutiesOut>('GET', url('/api/admin/duties', agency)),
    setDuties: (separationOfDuties: boolean) => send<DutiesOut>('PUT', url('/api/admin/duties', agency), { separationOfDuties }),
    liftLockout: (id: number, body: LockoutLiftIn) => send<LockoutOut>('POST', url(`/api/admin/lockouts/${id}/lift`, agency), body),
  };
}
export type AdminApi = ReturnType<typeof adminApi>;
