/** Request/response schemas of emergency mode: the public regime, the admin page and the post-audit queue. */
import { z } from 'zod';
import { emergencyMeasure, isoDate, regimeDoc, VALIDITY_TARGETS } from './emergency.ts';

const named = z.object({ code: z.string(), name: z.string() });

export const periodOut = z.object({
  id: z.number(),
  regimeCode: z.string(),
  version: z.number(),
  title: z.string(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  /** The regime's last day as it stands (planned end or switch-off day). */
  lastDay: z.string().nullable(),
  status: z.enum(['scheduled', 'active', 'ended', 'cancelled']),
  statusLabel: z.string(),
  note: z.string().nullable(),
  onBy: z.string(),
  onAt: z.string(),
  extendedAt: z.string().nullable(),
  offOn: z.string().nullable(),
  offAt: z.string().nullable(),
  offBy: z.string().nullable(),
  offNote: z.string().nullable(),
});
export type PeriodOut = z.infer<typeof periodOut>;

const regimeView = z.object({
  code: z.string(),
  version: z.number(),
  title: z.string(),
  source: z.object({
    file: z.string(),
    title: z.string(),
    issuer: z.string().optional(),
    docNo: z.string().optional(),
    issuedOn: z.string().optional(),
  }),
  notice: z.object({ title: z.string(), text: z.string() }),
  measures: z.array(emergencyMeasure),
  notes: z.array(z.string()),
});

/** GET /api/agencies/{code}/emergency: what the site shows while a regime is in force. */
export const publicEmergencyOut = z.object({
  agency: z.string(),
  active: z.boolean(),
  period: z.object({ startDate: z.string(), endDate: z.string().nullable() }).nullable(),
  regime: regimeView.nullable(),
  /** Names of the items the measures list (current catalogue). */
  itemNames: z.record(z.string(), z.string()),
  /** Halls admitting visitors by appointment only. */
  appointmentOnly: z.array(named.extend({ minWorkingDaysAhead: z.number(), wording: z.string() })),
  /** Items whose online application the regime defers (暂缓办理): item code → the deferring measure's id. */
  deferredOnline: z.record(z.string(), z.string()),
});
export type PublicEmergencyOut = z.infer<typeof publicEmergencyOut>;

export const regimeVersionOut = z.object({
  id: z.number(),
  version: z.number(),
  source: z.string(),
  note: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const extensionOut = z.object({
  periodId: z.number(),
  measureId: z.string(),
  target: z.enum(VALIDITY_TARGETS),
  entityId: z.string(),
  label: z.string(),
  beforeTo: z.string().nullable(),
  afterTo: z.string(),
  at: z.string(),
});

/** GET /api/admin/emergency: the agency's regimes (latest version in full), periods and extensions. */
export const adminEmergencyOut = z.object({
  agency: z.string(),
  today: z.string(),
  current: periodOut.nullable(),
  /** Each regime: its latest version's document as stored (the editor posts it back changed). */
  regimes: z.array(z.object({ id: z.number(), version: z.number(), doc: regimeDoc, versions: z.array(regimeVersionOut) })),
  periods: z.array(periodOut),
  extensions: z.array(extensionOut),
  /** For the editor: the agency's current items and offices. */
  items: z.array(named),
  offices: z.array(named),
  /** What the actor may do here. */
  can: z.object({ manage: z.boolean() }),
});
export type AdminEmergencyOut = z.infer<typeof adminEmergencyOut>;

export const reviseIn = z.object({
  /** The version the edit started from (a later one → EMERGENCY_REGIME_STALE). */
  baseVersion: z.number().int().positive(),
  note: z.string().trim().min(1, '请写明修订说明').max(500),
  /** The whole regime document (validated by common/emergency.ts regimeDoc). */
  doc: z.unknown(),
});
export const reviseOut = z.object({ code: z.string(), version: z.number(), appliedToPeriod: z.number().nullable(), extended: z.number() });

export const switchOnIn = z.object({
  regimeCode: z.string().min(1).max(60),
  startDate: isoDate,
  endDate: isoDate.optional(),
  note: z.string().trim().max(500).optional(),
});
export const switchOffIn = z.object({ note: z.string().trim().min(1, '请写明关闭原因').max(500) });
export const switchOut = z.object({ period: periodOut, extended: z.number() });

export const POST_AUDIT_STATUSES = ['pending', 'confirmed', 'flagged'] as const;
export const POST_AUDIT_LABELS: Record<(typeof POST_AUDIT_STATUSES)[number], string> = { pending: '待审核', confirmed: '已确认', flagged: '存疑' };

export const postAuditQuery = z.object({ status: z.enum([...POST_AUDIT_STATUSES, 'all']).default('pending') });
export const postAuditOut = z.object({
  id: z.number(),
  caseId: z.number(),
  caseNo: z.string().nullable(),
  itemCode: z.string(),
  itemName: z.string(),
  applicantName: z.string(),
  completedAt: z.string().nullable(),
  createdAt: z.string(),
  measureTitle: z.string(),
  status: z.enum(POST_AUDIT_STATUSES),
  statusLabel: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  note: z.string().nullable(),
});
export type PostAuditOut = z.infer<typeof postAuditOut>;
export const postAuditListOut = z.object({ items: z.array(postAuditOut), counts: z.record(z.string(), z.number()), canDecide: z.boolean() });
export const decideIn = z
  .object({ decision: z.enum(['confirm', 'flag']), note: z.string().trim().max(1000).optional() })
  .refine((d) => d.decision === 'confirm' || (d.note?.length ?? 0) > 0, { message: '标记存疑须写明问题', path: ['note'] });
