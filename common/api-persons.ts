/**
 * 参保人档案 API schemas (/api/staff/persons/*): search, the person's record, households and
 * guardian relations. Writes answer field problems as `{ error: { code, message, details: [{ path, message }] } }`.
 */
import { z } from 'zod';
import { AGENCY_CODES } from './catalog.ts';
import { isIsoDate } from './admin.ts';
import { GUARDIAN_BASES, GUARDIAN_RELATIONS } from './persons.ts';
import { ENROLMENT_STATUSES, ENROLMENT_TYPES } from './registry.ts';

const text = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}。` })
    .trim()
    .min(1, `请填写${label}。`)
    .max(max, `${label}不能超过${max}个字。`);
const region = (label: string) =>
  z
    .union([
      z.literal('').transform(() => null),
      z
        .string()
        .trim()
        .regex(/^\d{6}$/, `${label}应为6位行政区划代码，例如 210202。`),
      z.null(),
    ])
    .optional();
const idNo = z
  .string({ error: '请填写公民身份号码。' })
  .trim()
  .min(1, '请填写公民身份号码。')
  .max(18, '公民身份号码应为18位（最后一位可为X）。')
  .transform((s) => s.toUpperCase());

/** Which agency the staff member acts for: their own, or any one for a system admin. */
export const personAgencyQuery = z.object({ agency: z.enum(AGENCY_CODES).optional() });

export const personSearchQuery = personAgencyQuery
  .extend({
    idNo: z
      .string()
      .trim()
      .max(18, '公民身份号码应为18位（最后一位可为X）。')
      .transform((s) => s.toUpperCase())
      .optional(),
    name: z.string().trim().max(30, '姓名不能超过30个字。').optional(),
    birthDate: z.union([z.literal(''), z.string().trim().refine(isIsoDate, '出生日期应为有效日期（YYYY-MM-DD）。')]).optional(),
  })
  .superRefine((q, ctx) => {
    if (!q.idNo && !q.name) ctx.addIssue({ code: 'custom', path: ['idNo'], message: '请填写公民身份号码，或填写姓名（可加出生日期）。' });
  });
export type PersonSearchQuery = z.input<typeof personSearchQuery>;

export const personHitOut = z.object({
  id: z.number(),
  name: z.string(),
  idNoMasked: z.string(),
  sex: z.enum(['M', 'F']),
  birthDate: z.string(),
  age: z.number(),
  status: z.string(),
  /** Enrolled (any status) at the agency acted for. */
  enrolledHere: z.boolean(),
});
export const personSearchOut = z.object({
  agency: z.string(),
  by: z.enum(['idNo', 'name']),
  items: z.array(personHitOut),
  /** More matched than shown: narrow by birth date. */
  truncated: z.boolean(),
});
export type PersonHit = z.infer<typeof personHitOut>;
export type PersonSearchOut = z.infer<typeof personSearchOut>;

/** Another person named in the record (household member, guardian, ward). */
const relatedOut = z.object({
  id: z.number(),
  name: z.string(),
  /** In full when the person is in the agency's scope, masked otherwise. */
  idNo: z.string(),
  age: z.number(),
  hukouRegion: z.string(),
  residencePermitRegion: z.string().nullable(),
  status: z.string(),
  /** The staff member may open this person's record. */
  viewable: z.boolean(),
});
export const guardianLinkOut = relatedOut.extend({
  relation: z.enum(GUARDIAN_RELATIONS),
  basis: z.enum(GUARDIAN_BASES),
  basisReason: z.string().nullable(),
  since: z.string(),
  recordedBy: z.string().nullable(),
});
export type RelatedPerson = z.infer<typeof relatedOut>;
export type GuardianLink = z.infer<typeof guardianLinkOut>;

export const personRecordOut = z.object({
  agency: z.string(),
  today: z.string(),
  /** acceptor, reviewer, agency_admin (and sysadmin) may change households and guardians. */
  canEdit: z.boolean(),
  person: z.object({
    id: z.number(),
    /** In full for staff. */
    idNo: z.string(),
    name: z.string(),
    sex: z.enum(['M', 'F']),
    birthDate: z.string(),
    age: z.number(),
    status: z.enum(['normal', 'deceased']),
    hukouRegion: z.string(),
    hukouRegionName: z.string().nullable(),
    residencePermitRegion: z.string().nullable(),
    residencePermitRegionName: z.string().nullable(),
    phone: z.string().nullable(),
    badCredit: z.boolean(),
  }),
  enrolments: z.array(
    z.object({
      type: z.enum(ENROLMENT_TYPES),
      agencyCode: z.string(),
      agencyName: z.string(),
      unitName: z.string().nullable(),
      unitUscc: z.string().nullable(),
      status: z.enum(ENROLMENT_STATUSES),
      start: z.string(),
      end: z.string().nullable(),
      employment: z.enum(['employed', 'flexible', 'retired']).nullable(),
    }),
  ),
  contributions: z.array(
    z.object({
      type: z.enum(ENROLMENT_TYPES),
      /** Continuous paid months up to this month (or the last one), as the rules count them. */
      continuousMonths: z.number(),
      /** Months due and unpaid (欠费), YYYY-MM. */
      arrears: z.array(z.string()),
      paidMonths: z.number(),
      firstMonth: z.string(),
      lastMonth: z.string(),
      lastBase: z.number(),
    }),
  ),
  account: z
    .object({
      balance: z.number(),
      ledger: z.array(
        z.object({
          at: z.string(),
          amount: z.number(),
          balanceAfter: z.number(),
          kind: z.string(),
          note: z.string().nullable(),
          caseId: z.number().nullable(),
          caseNo: z.string().nullable(),
        }),
      ),
    })
    .nullable(),
  remoteFilings: z.array(
    z.object({
      kind: z.string(),
      destination: z.string(),
      validFrom: z.string(),
      validTo: z.string().nullable(),
      pledgeDue: z.string().nullable(),
      valid: z.boolean(),
    }),
  ),
  chronicCerts: z.array(z.object({ disease: z.string(), from: z.string(), to: z.string().nullable(), valid: z.boolean() })),
  lockouts: z.array(z.object({ from: z.string(), to: z.string(), reason: z.string(), active: z.boolean() })),
  payments: z.array(
    z.object({
      kind: z.string(),
      amount: z.number(),
      status: z.string(),
      at: z.string(),
      caseId: z.number(),
      caseNo: z.string().nullable(),
      itemCode: z.string(),
    }),
  ),
  household: z
    .object({
      id: z.number(),
      address: z.string().nullable(),
      recordedBy: z.string().nullable(),
      members: z.array(relatedOut.extend({ self: z.boolean() })),
    })
    .nullable(),
  guardians: z.array(guardianLinkOut),
  wards: z.array(guardianLinkOut),
  /** registry_history of the person, newest first: who changed what, when, and through which case. */
  history: z.array(
    z.object({
      id: z.number(),
      at: z.string(),
      effectiveFrom: z.string(),
      actor: z.string(),
      entity: z.string(),
      entityLabel: z.string(),
      summary: z.string(),
      caseId: z.number().nullable(),
      caseNo: z.string().nullable(),
    }),
  ),
});
export type PersonRecordOut = z.infer<typeof personRecordOut>;

/** A person named by 公民身份号码 and 姓名; registered from the number's facts when the registry does not hold them yet. */
const otherPerson = {
  idNo,
  name: text('姓名', 30),
  /** Only for a person the registry does not hold yet (defaults to the number's region); must match otherwise. */
  hukouRegion: region('户籍地区划代码'),
  residencePermitRegion: region('居住证区划代码'),
};

export const householdIn = z.object({ address: text('家庭住址', 200) });
export type HouseholdIn = z.input<typeof householdIn>;
export const householdMemberIn = z.object(otherPerson);
export type HouseholdMemberIn = z.input<typeof householdMemberIn>;
export const removeIn = z.object({ reason: text('原因', 200) });
export type RemoveIn = z.input<typeof removeIn>;

export const guardianIn = z
  .object({
    ...otherPerson,
    relation: z.enum(GUARDIAN_RELATIONS, { error: '请选择与被监护人的关系。' }),
    /** The ward is an adult declared 无民事行为能力. */
    incapacity: z.boolean().default(false),
    incapacityReason: z.string().trim().max(200, '依据说明不能超过200个字。').optional(),
  })
  .superRefine((g, ctx) => {
    if (g.incapacity && !g.incapacityReason)
      ctx.addIssue({ code: 'custom', path: ['incapacityReason'], message: '认定为无民事行为能力的，请写明依据（如法院判决书文号）。' });
  });
export type GuardianIn = z.input<typeof guardianIn>;
