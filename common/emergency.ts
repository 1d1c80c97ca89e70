/**
 * Emergency mode (应急状态, issue 5): what an agency's emergency regime does is data — a versioned
 * regime document validated here — not code per agency. An agency admin switches a regime on for
 * a period; while it is on, the server and the web app read its measures:
 *
 * - contactless  不见面办理: the listed items' online/mail/phone channels are promoted, with the wording;
 * - deferred     暂缓办理: new applications for the items are refused with the message (and no bookings);
 * - auto_pass    先自动通过、事后审核: submissions are accepted and completed at once, then post-audited;
 * - extend_validity 有效期自动延长: registry validities ending in the period are extended (on switch-on);
 * - contribution_grace 欠费宽限: months unpaid in the period count as paid while the grace window is open;
 * - long_prescription 长处方: a published rule text;
 * - appointment_only 预约办理: halls admit visitors by appointment only;
 * - info: measures that are only text (kept so the regime cites its whole source).
 *
 * Pure: zod and our other common modules only.
 */
import { z } from 'zod';
import { calendarDate } from './date-schema.ts';
import { AGENCY_CODES, CHANNEL_KINDS } from './catalog.ts';
import { CASE_CHANNELS, type CaseChannel } from './api-cases.ts';
import { addMonthsYm, ENROLMENT_TYPES, type GraceWindow } from './registry.ts';
import {
  MEASURE_KINDS,
  MEASURE_KIND_LABELS,
  PERIOD_STATUS_LABELS,
  promoteChannels,
  VALIDITY_TARGET_LABELS,
  VALIDITY_TARGETS,
  type MeasureKind,
  type PeriodStatus,
  type ValidityTarget,
} from './emergency-kinds.ts';

const text = z.string().trim().min(1).max(4000);
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, '只能用小写字母、数字和连字符');
export const isoDate = calendarDate;
const itemCode = z.string().regex(/^[A-Z]{2}-\d{2}[A-Z]?$/, '事项编码格式应如 DL-01、SD-04A');
const itemList = z.array(itemCode).max(200).default([]);

export { MEASURE_KINDS, MEASURE_KIND_LABELS, VALIDITY_TARGETS, VALIDITY_TARGET_LABELS, PERIOD_STATUS_LABELS, promoteChannels };
export type { MeasureKind, ValidityTarget, PeriodStatus };

/** Where a measure comes from: the words of the agency's own notice, verbatim, and where they stand. */
export const measureSource = z
  .object({
    /** Verbatim text of the notice (or "机构管理员决定" for a measure an admin added). */
    text,
    /** Seed file and section, e.g. "000_d06c3a8c75bd7af3.txt · 4项业务放宽办理 · 2". */
    ref: text.optional(),
  })
  .strict();

const base = {
  /** Stable within the regime (revisions keep it), e.g. "grace". */
  id: slug,
  title: text,
  source: measureSource,
  /** How the platform reads the source (what it could not transcribe, what an admin must decide). */
  note: text.optional(),
};

export const contactlessMeasure = z
  .object({
    ...base,
    kind: z.literal('contactless'),
    items: itemList,
    /** Channel kinds shown first and highlighted on the items' guides. */
    channels: z.array(z.enum(CHANNEL_KINDS)).min(1).max(CHANNEL_KINDS.length),
    /** Shown above the channels. */
    wording: text,
  })
  .strict();
export const deferredMeasure = z
  .object({
    ...base,
    kind: z.literal('deferred'),
    items: itemList,
    /** The refusal message of a new application (and booking) for these items. */
    message: text,
    /** Intake channels that stay open (e.g. 山东: 确需尽快报销的，可通过EMS、挂号信等途径邮寄材料 → post). */
    exceptChannels: z.array(z.enum(CASE_CHANNELS)).max(CASE_CHANNELS.length).default([]),
  })
  .strict();
export const autoPassMeasure = z
  .object({
    ...base,
    kind: z.literal('auto_pass'),
    items: itemList,
    /** Told to the applicant and shown on the guide. */
    wording: text,
  })
  .strict();
export const extendValidityMeasure = z
  .object({
    ...base,
    kind: z.literal('extend_validity'),
    target: z.enum(VALIDITY_TARGETS),
    /** Validities ending from the period's start up to this date are extended to it. */
    until: isoDate,
    wording: text,
  })
  .strict();
export const contributionGraceMeasure = z
  .object({
    ...base,
    kind: z.literal('contribution_grace'),
    enrolmentTypes: z.array(z.enum(ENROLMENT_TYPES)).min(1).max(ENROLMENT_TYPES.length),
    /** Months after the regime ends in which the arrears of the period may be paid. */
    graceMonths: z.number().int().min(1).max(24),
    wording: text,
  })
  .strict();
export const longPrescriptionMeasure = z
  .object({
    ...base,
    kind: z.literal('long_prescription'),
    /** The longest prescription period, in months. */
    maxMonths: z.number().int().min(1).max(12),
    /** Items whose guides show the rule (the rules page always does). */
    items: itemList,
    /** The rule text as published. */
    wording: text,
  })
  .strict();
export const appointmentOnlyMeasure = z
  .object({
    ...base,
    kind: z.literal('appointment_only'),
    /** Office codes, or "all" for every office of the agency. */
    offices: z.union([z.literal('all'), z.array(z.string().regex(/^[a-z0-9-]+$/)).max(100)]),
    /** Bookings at least this many working days ahead (大连: 至少提前1个工作日). */
    minWorkingDaysAhead: z.number().int().min(0).max(30).default(1),
    wording: text,
  })
  .strict();
export const infoMeasure = z
  .object({
    ...base,
    kind: z.literal('info'),
    items: itemList,
    wording: text.optional(),
  })
  .strict();

export const emergencyMeasure = z.discriminatedUnion('kind', [
  contactlessMeasure,
  deferredMeasure,
  autoPassMeasure,
  extendValidityMeasure,
  contributionGraceMeasure,
  longPrescriptionMeasure,
  appointmentOnlyMeasure,
  infoMeasure,
]);
export type EmergencyMeasure = z.infer<typeof emergencyMeasure>;
export type MeasureOf<K extends MeasureKind> = Extract<EmergencyMeasure, { kind: K }>;

export const regimeDoc = z
  .object({
    agency: z.enum(AGENCY_CODES),
    /** The regime's code within the agency, e.g. "covid-2020"; revisions keep it. */
    code: slug,
    title: text,
    source: z
      .object({
        file: text,
        title: text,
        issuer: text.optional(),
        docNo: text.optional(),
        issuedOn: text.optional(),
      })
      .strict(),
    /** The banner on every page of the agency's site while the regime is on. */
    notice: z.object({ title: text.max(100), text }).strict(),
    measures: z.array(emergencyMeasure).min(1).max(60),
    /** Why the platform reads the source this way (agency-level notes). */
    notes: z.array(text).max(30).default([]),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const ids = new Set<string>();
    doc.measures.forEach((m, i) => {
      if (ids.has(m.id)) ctx.addIssue({ code: 'custom', path: ['measures', i, 'id'], message: `措施编号 ${m.id} 重复` });
      ids.add(m.id);
      if ('items' in m) {
        const dup = m.items.find((x, j) => m.items.indexOf(x) !== j);
        if (dup) ctx.addIssue({ code: 'custom', path: ['measures', i, 'items'], message: `事项 ${dup} 重复列出` });
      }
    });
    const deferred = new Set(doc.measures.flatMap((m) => (m.kind === 'deferred' ? m.items : [])));
    doc.measures.forEach((m, i) => {
      if (m.kind !== 'auto_pass') return;
      for (const x of m.items)
        if (deferred.has(x)) ctx.addIssue({ code: 'custom', path: ['measures', i, 'items'], message: `事项 ${x} 不能既暂缓办理又自动通过` });
    });
    if (doc.measures.filter((m) => m.kind === 'contribution_grace').length > 1)
      ctx.addIssue({ code: 'custom', path: ['measures'], message: '欠费补缴宽限措施只能有一项' });
  });
export type RegimeDoc = z.infer<typeof regimeDoc>;
export type RegimeDocIn = z.input<typeof regimeDoc>;

/** A data file in data/emergency/: one agency's example regimes. */
export const regimeFile = z.object({ regimes: z.array(z.unknown()).min(1) }).strict();

/** Problems a regime has against the agency's catalogue (unknown item or office codes). Empty = fine. */
export function checkRegime(doc: RegimeDoc, known: { items: ReadonlySet<string>; offices: ReadonlySet<string> }): string[] {
  const out: string[] = [];
  for (const m of doc.measures) {
    if ('items' in m) for (const x of m.items) if (!known.items.has(x)) out.push(`措施“${m.title}”列出的事项 ${x} 不在本机构现行事项清单中`);
    if (m.kind === 'appointment_only' && m.offices !== 'all')
      for (const o of m.offices) if (!known.offices.has(o)) out.push(`措施“${m.title}”列出的办事地点 ${o} 不存在`);
  }
  return out;
}

/**
 * Problems switching this regime on from `start`: an end before the start (`endDate`), or an
 * extension date that is not after the start (`measures`: the regime's measures need revising).
 */
export function activationProblems(doc: RegimeDoc, start: string, end: string | null): { path: 'endDate' | 'measures'; message: string }[] {
  const out: { path: 'endDate' | 'measures'; message: string }[] = [];
  if (end !== null && end < start) out.push({ path: 'endDate', message: '结束日期不能早于开始日期。' });
  for (const m of doc.measures)
    if (m.kind === 'extend_validity' && m.until <= start)
      out.push({ path: 'measures', message: `措施“${m.title}”的延长截止日 ${m.until} 不晚于开始日期 ${start}，请先修订该措施的日期。` });
  return out;
}

/** The measures of a kind, in document order. */
export function measuresOf<K extends MeasureKind>(doc: RegimeDoc, kind: K): MeasureOf<K>[] {
  return doc.measures.filter((m): m is MeasureOf<K> => m.kind === kind);
}

/** The deferral that refuses a new application for this item through this channel, if any. */
export function deferralFor(doc: RegimeDoc, itemCode: string, channel?: CaseChannel): MeasureOf<'deferred'> | null {
  const code = itemCode.toUpperCase();
  return measuresOf(doc, 'deferred').find((m) => m.items.includes(code) && !(channel && m.exceptChannels.includes(channel))) ?? null;
}

export function autoPassFor(doc: RegimeDoc, itemCode: string): MeasureOf<'auto_pass'> | null {
  const code = itemCode.toUpperCase();
  return measuresOf(doc, 'auto_pass').find((m) => m.items.includes(code)) ?? null;
}

export function contactlessFor(doc: RegimeDoc, itemCode: string): MeasureOf<'contactless'> | null {
  const code = itemCode.toUpperCase();
  return measuresOf(doc, 'contactless').find((m) => m.items.includes(code)) ?? null;
}

/** Office codes admitting visitors by appointment only (all of `offices` when a measure says "all"). */
export function appointmentOnlyOffices(
  doc: RegimeDoc,
  offices: readonly string[],
): { code: string; minWorkingDaysAhead: number; measureId: string }[] {
  const out = new Map<string, { code: string; minWorkingDaysAhead: number; measureId: string }>();
  for (const m of measuresOf(doc, 'appointment_only'))
    for (const code of m.offices === 'all' ? offices : m.offices)
      if (!out.has(code)) out.set(code, { code, minWorkingDaysAhead: m.minWorkingDaysAhead, measureId: m.id });
  return [...out.values()];
}

// ---------------------------------------------------------------------------------------------
// Periods

export interface PeriodDates {
  start: string;
  /** The planned last day, if any. */
  end: string | null;
  /** The day an admin switched it off, if it was. */
  offOn: string | null;
}

/** Whether the regime is in force on `day` (switched off on a day: no longer in force from that day on). */
export function inForce(p: PeriodDates, day: string): boolean {
  return p.start <= day && (p.end === null || day <= p.end) && (p.offOn === null || day < p.offOn);
}

export function periodStatus(p: PeriodDates, today: string): PeriodStatus {
  if (p.offOn !== null && p.offOn < p.start) return 'cancelled';
  if (inForce(p, today)) return 'active';
  if (p.start > today && p.offOn === null) return 'scheduled';
  return 'ended';
}

/** The regime's last day as it stands: the planned end or the switch-off day, whichever is earlier; null while open. */
export function lastDay(p: PeriodDates): string | null {
  if (p.offOn !== null && (p.end === null || p.offOn <= p.end)) return p.offOn;
  return p.end;
}

/** YYYY-MM-DD plus n calendar months (clamped to the month's last day). */
export function addMonthsDate(date: string, n: number): string {
  const ym = addMonthsYm(date.slice(0, 7), n);
  const [y, m] = ym.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${ym}-${String(Math.min(Number(date.slice(8, 10)), last)).padStart(2, '0')}`;
}

/**
 * The grace window a period gives (Dalian: 疫情期间未能按时缴纳…待疫情解除后3个月内及时补办补缴…可正常享受):
 * the period's months, payable until its last day plus `graceMonths`. While the period has no
 * last day, the window is open and `payBy` is null. A period cancelled before it started gives none.
 */
export function graceWindowOf(agencyCode: string, p: PeriodDates, m: MeasureOf<'contribution_grace'>): GraceWindow | null {
  const last = lastDay(p);
  if (last !== null && last < p.start) return null;
  return {
    agencyCode,
    types: [...m.enrolmentTypes],
    from: p.start.slice(0, 7),
    to: last === null ? null : last.slice(0, 7),
    payBy: last === null ? null : addMonthsDate(last, m.graceMonths),
  };
}

// Regime versions never change once written, so their parsed documents are cached by id.
const docs = new Map<number, RegimeDoc>();
export function parseRegime(id: number, doc: unknown): RegimeDoc {
  const hit = docs.get(id);
  if (hit) return hit;
  const parsed = regimeDoc.parse(doc);
  if (docs.size > 500) docs.clear();
  docs.set(id, parsed);
  return parsed;
}

/**
 * Contribution grace windows of these period rows (oldest first): the regimes of the agencies a
 * person paid to that had started by the snapshot's date, including periods since switched off (the
 * window runs from the regime's end). The registry snapshot fetches the rows in its own statement.
 */
export function graceWindowsOf(
  rows: readonly {
    agency_code: string;
    regime_id: number | string;
    doc: unknown;
    start_date: string;
    end_date: string | null;
    off_on: string | null;
  }[],
): GraceWindow[] {
  const out: GraceWindow[] = [];
  for (const row of rows) {
    const doc = parseRegime(Number(row.regime_id), row.doc);
    for (const m of measuresOf(doc, 'contribution_grace')) {
      const w = graceWindowOf(row.agency_code, { start: row.start_date, end: row.end_date, offOn: row.off_on }, m);
      if (w) out.push(w);
    }
  }
  return out;
}
