/** Request/response schemas for applications, the back office and documents. */
import { z } from 'zod';
import { calendarDate } from './date-schema.ts';
import { CASE_STATES, type CaseState } from './workflow.ts';
import { CASE_CHANNELS } from './case-channels.ts';

export { CASE_CHANNELS, CHANNEL_LABELS, type CaseChannel } from './case-channels.ts';

const answers = z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/), z.string().max(2000));
const isoDate = calendarDate;

export const createCaseIn = z.object({
  agencyCode: z.string().min(1),
  itemCode: z.string().min(1),
  channel: z.enum(['online', 'mobile']).default('online'),
  answers: answers.default({}),
  /** Act for someone under a recorded 代办 authorisation. */
  authorisationId: z.number().int().positive().optional(),
  /** Create and submit at once (API clients and items with nothing to upload). */
  submit: z.boolean().default(false),
});
export const saveDraftIn = z.object({ answers, lockVersion: z.number().int().optional() });

export const registerCaseIn = z.object({
  itemCode: z.string().min(1),
  channel: z.enum(['window', 'email', 'fax', 'post']),
  receivedOn: isoDate.optional(),
  answers,
  applicantEmail: z.string().email('电子邮箱格式不正确').optional(),
  note: z.string().max(1000).optional(),
});

export const actionIn = z.object({
  note: z.string().trim().max(2000).optional(),
  reasons: z
    .array(z.object({ code: z.string().max(40).optional(), text: z.string().trim().min(1).max(500) }))
    .max(20)
    .optional(),
  /** Materials to correct, by index in the item's list, with an optional note each (一次性告知). */
  materials: z
    .array(z.object({ index: z.number().int().min(0), note: z.string().max(300).optional() }))
    .max(50)
    .optional(),
  /** 禁办 check at acceptance: situations the acceptor checked and those found. */
  facts: z
    .object({ checked: z.array(z.string()).default([]), found: z.array(z.string()).default([]), note: z.string().max(1000).optional() })
    .optional(),
  /** 容缺: the applicant's signed 承诺书 was received. */
  pledge: z.object({ signed: z.literal(true), signedOn: isoDate.optional() }).optional(),
  lockVersion: z.number().int().optional(),
});
export type ActionIn = z.infer<typeof actionIn>;

export const materialOut = z.object({
  id: z.number(),
  materialIndex: z.number(),
  materialName: z.string(),
  fileName: z.string(),
  mime: z.string(),
  size: z.number(),
  phase: z.string(),
  uploadedAt: z.string(),
});

export const formOut = z.object({
  fields: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      type: z.string(),
      required: z.boolean(),
      options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
      help: z.string().optional(),
      max: z.number().optional(),
    }),
  ),
  materials: z.array(
    z.object({
      index: z.number(),
      name: z.string(),
      form: z.string().optional(),
      note: z.string().optional(),
      condition: z.string().optional(),
      tolerable: z.boolean(),
      toleranceDays: z.number().optional(),
      applies: z.enum(['yes', 'maybe', 'no']),
    }),
  ),
  recheck: z.boolean(),
  limits: z.object({ maxFileBytes: z.number(), maxCaseBytes: z.number(), maxFilesPerCase: z.number(), types: z.array(z.string()) }),
});

export const caseSummaryOut = z.object({
  id: z.number(),
  caseNo: z.string().nullable(),
  agencyCode: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  status: z.enum(CASE_STATES),
  statusLabel: z.string(),
  channel: z.string(),
  channelLabel: z.string(),
  applicantName: z.string(),
  submittedAt: z.string().nullable(),
  queuedAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  dueDate: z.string().nullable(),
  /** The due date rests on a provisional calendar year (预计, until the State Council's notice is entered). */
  dueProvisional: z.boolean(),
  workingDaysLeft: z.number().nullable(),
  overdue: z.boolean(),
  clockState: z.string(),
  assigneeId: z.number().nullable(),
  assigneeName: z.string().nullable(),
  updatedAt: z.string(),
});
export type CaseSummary = z.infer<typeof caseSummaryOut>;

export const documentOut = z.object({
  id: z.number(),
  kind: z.string(),
  title: z.string(),
  docNo: z.string(),
  issuedOn: z.string(),
  verifyCode: z.string(),
});

/** The rules' verdict on the applicant's registry record (pre-check and acceptance). */
export const evaluationOut = z.object({
  asOf: z.string(),
  /** Whether the applicant is in the registry at all. */
  known: z.boolean(),
  eligible: z.boolean(),
  prohibited: z.boolean(),
  toleranceAllowed: z.boolean(),
  results: z.array(
    z.object({
      code: z.string(),
      kind: z.enum(['eligibility', 'prohibition', 'tolerance_exclusion']),
      applies: z.boolean(),
      passed: z.boolean(),
      reason: z.string(),
      source: z.string(),
      facts: z.array(z.object({ label: z.string(), display: z.string() })),
    }),
  ),
});
export type EvaluationOut = z.infer<typeof evaluationOut>;
export const precheckIn = z.object({
  answers: z.record(z.string(), z.string().max(2000)).default({}),
  authorisationId: z.number().int().positive().optional(),
});

export const caseDetailOut = caseSummaryOut.extend({
  applicant: z.object({ name: z.string(), idNo: z.string(), phone: z.string(), email: z.string().nullable() }),
  answers: z.record(z.string(), z.string()),
  lockVersion: z.number(),
  slaText: z.string(),
  toleranceDue: z.string().nullable(),
  toleranceDueProvisional: z.boolean(),
  toleranceMaterials: z.array(z.object({ index: z.number(), name: z.string() })).nullable(),
  correction: z
    .object({
      materials: z.array(z.object({ index: z.number(), name: z.string(), note: z.string().optional() })),
      note: z.string().optional(),
      requestedOn: z.string(),
    })
    .nullable(),
  reasons: z.array(z.object({ code: z.string().optional(), text: z.string() })).nullable(),
  facts: z.object({ checked: z.array(z.string()), found: z.array(z.string()), note: z.string().optional() }).nullable(),
  materials: z.array(materialOut),
  form: formOut,
  prohibitions: z.array(z.object({ code: z.string(), text: z.string() })),
  events: z.array(
    z.object({
      at: z.string(),
      action: z.string(),
      label: z.string(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      actor: z.string(),
      note: z.string().nullable(),
    }),
  ),
  clockEvents: z.array(z.object({ at: z.string(), day: z.string(), kind: z.string(), dueDate: z.string().nullable() })),
  documents: z.array(documentOut),
  actions: z.array(z.object({ action: z.string(), label: z.string(), requires: z.array(z.string()) })),
  /** The reader may enter the case's itemised bill now (手工报销 in review, a reviewer's role). */
  canEnterBill: z.boolean(),
  missing: z.array(z.object({ index: z.number(), name: z.string(), tolerable: z.boolean() })),
  evaluation: evaluationOut.nullable(),
  /** The benefit this item pays, as computed now (or as paid, once completed). */
  benefit: z
    .object({
      benefit: z.string(),
      label: z.string(),
      amount: z.number().nullable(),
      example: z.boolean(),
      problem: z.string().nullable(),
      trace: z.array(z.object({ step: z.string(), formula: z.string().optional(), value: z.string() })),
      paid: z.boolean(),
      /** The itemised bill the reviewer entered (手工报销), so the form shows what was saved. */
      bill: z
        .array(
          z.object({
            name: z.string(),
            amount: z.number(),
            category: z.enum(['covered', 'partly', 'excluded']),
            selfPayRatio: z.number().optional(),
          }),
        )
        .nullable()
        .optional(),
    })
    .nullable(),
});
export type CaseDetail = z.infer<typeof caseDetailOut>;

export const caseListOut = z.object({
  items: z.array(caseSummaryOut),
  total: z.number(),
  /** The staff queue counts up to a cap: true when there are more than `total`. */
  totalCapped: z.boolean().optional(),
  page: z.number(),
  pageSize: z.number(),
});

export const queueQuery = z.object({
  status: z.string().max(200).optional(),
  item: z.string().max(40).optional(),
  channel: z.enum(CASE_CHANNELS).optional(),
  dueBefore: isoDate.optional(),
  overdue: z.enum(['1', '0']).optional(),
  mine: z.enum(['1', '0']).optional(),
  unassigned: z.enum(['1', '0']).optional(),
  office: z.coerce.number().int().optional(),
  q: z.string().max(50).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});
export type QueueQuery = z.infer<typeof queueQuery>;

export const claimIn = z.object({ reason: z.string().trim().max(500).optional() });
export const assignIn = z.object({ userId: z.number().int().positive(), reason: z.string().trim().max(500).optional() });
export const bulkIn = z.object({
  ids: z.array(z.number().int().positive()).min(1).max(200),
  op: z.enum(['claim', 'assign', 'start_review']),
  userId: z.number().int().positive().optional(),
  reason: z.string().trim().max(500).optional(),
});
export const bulkOut = z.object({
  results: z.array(z.object({ id: z.number(), ok: z.boolean(), code: z.string().optional(), message: z.string().optional() })),
});

export const savedFilterIn = z.object({ name: z.string().trim().min(1).max(40), filters: z.record(z.string(), z.string()) });
export const savedFilterOut = z.object({ id: z.number(), name: z.string(), filters: z.record(z.string(), z.string()) });

export const outOfTurnOut = z.object({
  items: z.array(
    z.object({ at: z.string(), caseNo: z.string().nullable(), caseId: z.number(), staff: z.string(), reason: z.string(), skipped: z.number() }),
  ),
});

export const verifyOut = z.object({
  valid: z.literal(true),
  title: z.string(),
  agencyName: z.string(),
  itemName: z.string(),
  caseNo: z.string(),
  docNo: z.string(),
  issuedOn: z.string(),
  applicantMasked: z.string(),
  status: z.string(),
});

export const notificationsOut = z.object({
  items: z.array(z.object({ id: z.number(), subject: z.string(), body: z.string(), at: z.string(), caseId: z.number().nullable() })),
});

export function isFinal(s: CaseState): boolean {
  return ['rejected', 'approved', 'denied', 'withdrawn', 'terminated'].includes(s);
}
