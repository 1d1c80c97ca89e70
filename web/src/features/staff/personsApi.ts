/** 参保人档案 API calls (types from common/api-persons.ts; type-only imports keep zod out of the bundle). */
import { send } from '../../lib/api.ts';
import type { GuardianIn, HouseholdIn, HouseholdMemberIn, PersonRecordOut, PersonSearchOut } from '../../../../common/api-persons.ts';

export type { GuardianIn, HouseholdMemberIn, PersonRecordOut, PersonSearchOut };
export type { GuardianLink, PersonHit, RelatedPerson } from '../../../../common/api-persons.ts';

const base = (id: number) => `/api/staff/persons/${id}`;

export const personsApi = {
  search: (q: { idNo?: string; name?: string; birthDate?: string }) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v) sp.set(k, v);
    return send<PersonSearchOut>('GET', `/api/staff/persons?${sp}`);
  },
  record: (id: number) => send<PersonRecordOut>('GET', base(id)),
  createHousehold: (id: number, body: HouseholdIn) => send<PersonRecordOut>('POST', `${base(id)}/household`, body),
  updateHousehold: (id: number, body: HouseholdIn) => send<PersonRecordOut>('PUT', `${base(id)}/household`, body),
  addMember: (id: number, body: HouseholdMemberIn) => send<PersonRecordOut>('POST', `${base(id)}/household/members`, body),
  removeMember: (id: number, memberId: number, reason: string) =>
    send<PersonRecordOut>('POST', `${base(id)}/household/members/${memberId}/remove`, { reason }),
  addGuardian: (id: number, body: GuardianIn) => send<PersonRecordOut>('POST', `${base(id)}/guardians`, body),
  removeGuardian: (id: number, guardianId: number, reason: string) =>
    send<PersonRecordOut>('POST', `${base(id)}/guardians/${guardianId}/remove`, { reason }),
};
