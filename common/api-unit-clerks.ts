/** 单位经办人 requests (issue 16): the applicant's status, the unit's clerks, the agency's queue. */
import { z } from 'zod';

export const unitClerkStatus = z.enum(['pending', 'approved', 'rejected', 'revoked']);

export const myUnitClerkOut = z.object({
  status: z.enum(['none', 'pending', 'approved', 'rejected', 'revoked']),
  request: z
    .object({
      id: z.number(),
      unitName: z.string(),
      uscc: z.string(),
      agencyName: z.string().nullable(),
      createdAt: z.string(),
      decidedAt: z.string().nullable(),
      decidedBy: z.enum(['clerk', 'agency']).nullable(),
      reason: z.string().nullable(),
      letterName: z.string().nullable(),
      reviewer: z.enum(['clerk', 'agency']).nullable(),
      canUploadLetter: z.boolean(),
      /** Rejected or revoked: may ask again for the same unit. */
      canReapply: z.boolean(),
      needsLetter: z.boolean(),
    })
    .nullable(),
});
export type MyUnitClerkOut = z.infer<typeof myUnitClerkOut>;

const requestOut = z.object({
  id: z.number(),
  status: unitClerkStatus,
  name: z.string(),
  mobileMasked: z.string().nullable(),
  idNoMasked: z.string().nullable(),
  unitName: z.string(),
  uscc: z.string(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  hasLetter: z.boolean(),
  letterName: z.string().nullable(),
});

export const unitClerksOut = z.object({
  requests: z.array(requestOut.extend({ canApprove: z.boolean(), canReject: z.boolean() })),
  clerks: z.array(requestOut.extend({ isMe: z.boolean(), canRevoke: z.boolean() })),
});
export type UnitClerksOut = z.infer<typeof unitClerksOut>;

export const agencyUnitClerksOut = z.object({
  items: z.array(requestOut.extend({ unitHasClerk: z.boolean(), canApprove: z.boolean(), canReject: z.boolean(), canRevoke: z.boolean() })),
});
export type AgencyUnitClerksOut = z.infer<typeof agencyUnitClerksOut>;

export const unitClerkDecisionIn = z.object({ reason: z.string().trim().max(500).optional() });
export const unitClerkReasonIn = z.object({ reason: z.string().trim().min(1, '请填写理由').max(500) });
export const unitClerkDecisionOut = z.object({ id: z.number(), status: unitClerkStatus });
