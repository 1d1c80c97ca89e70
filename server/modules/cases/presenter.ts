/** Cases to API shapes: whitelisted fields, personal data masked unless the actor may see it. */
import { CHANNEL_LABELS, type CaseChannel, type CaseDetail, type CaseSummary } from '../../../common/api-cases.ts';
import { resolveForm, UPLOAD_LIMITS, missingMaterials } from '../../../common/forms.ts';
import { maskCitizenId, maskMobile } from '../../../common/ids.ts';
import { STATE_LABELS, TRANSITIONS, type CaseState } from '../../../common/workflow.ts';
import type { WorkCalendar } from '../../../common/calendar.ts';
import type { Actor } from '../../http/actor.ts';
import type { CaseRow } from './repository.ts';
import type { CaseItem } from './items.ts';
import { describeLimit, slaLimit, workingDaysLeft } from './sla.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const ACTION_LABELS = new Map<string, string>(TRANSITIONS.map((t) => [t.action, t.label]));
const EXTRA_LABELS: Record<string, string> = {
  create: '创建草稿',
  upload: '上传材料',
  register: '工作人员代为登记',
  claim: '认领',
  assign: '分派',
  registry_update: '参保信息库更新',
  auto_pass_skipped: '应急自动通过未适用，转人工受理',
  post_audit: '事后审核',
  deadline_moved: '期限调整（工作日历）',
  transfer_deadline_moved: '转移接续期限调整（工作日历）',
  transfer_letter: '发送联系函',
  transfer_info: '出具信息表',
};

/** The columns a list row needs: lists select these instead of the whole row (answers, facts, … are large). */
export const SUMMARY_COLUMNS = [
  'id',
  'case_no',
  'agency_code',
  'item_code',
  'item_name',
  'status',
  'channel',
  'applicant_name',
  'submitted_at',
  'queued_at',
  'accepted_at',
  'completed_at',
  'due_date',
  'clock_state',
  'assignee_id',
  'updated_at',
] as const satisfies readonly (keyof CaseRow)[];
export type SummaryRow = Pick<CaseRow, (typeof SUMMARY_COLUMNS)[number]>;

/** Whether a date counted on `cal` rests on a provisional year (预计): any provisional year from today to it. */
export function provisionalDate(cal: WorkCalendar | null, today: string, date: string | null): boolean {
  if (!cal || !date) return false;
  return cal.provisionalBetween(today, date);
}

export function summary(c: SummaryRow & { assignee_name?: string | null }, today: string, cal: WorkCalendar | null): CaseSummary {
  const running = c.clock_state === 'running' && c.due_date !== null;
  let left: number | null = null;
  if (running && cal) {
    try {
      left = workingDaysLeft(today, c.due_date!, cal);
    } catch {
      left = null; // calendar year not entered yet: shown without a count
    }
  }
  return {
    id: Number(c.id),
    caseNo: c.case_no,
    agencyCode: c.agency_code,
    itemCode: c.item_code,
    itemName: c.item_name,
    status: c.status as CaseState,
    statusLabel: STATE_LABELS[c.status as CaseState] ?? c.status,
    channel: c.channel,
    channelLabel: CHANNEL_LABELS[c.channel as CaseChannel] ?? c.channel,
    applicantName: c.applicant_name,
    submittedAt: iso(c.submitted_at),
    queuedAt: iso(c.queued_at),
    acceptedAt: iso(c.accepted_at),
    completedAt: iso(c.completed_at),
    dueDate: c.due_date,
    dueProvisional: ['running', 'paused'].includes(c.clock_state) && provisionalDate(cal, today, c.due_date),
    workingDaysLeft: left,
    overdue: running && today > c.due_date!,
    clockState: c.clock_state,
    assigneeId: c.assignee_id === null ? null : Number(c.assignee_id),
    assigneeName: c.assignee_name ?? null,
    updatedAt: iso(c.updated_at)!,
  };
}

export function detail(
  actor: Actor,
  c: CaseRow & { assignee_name?: string | null },
  ci: CaseItem,
  parts: {
    today: string;
    cal: WorkCalendar | null;
    materials: MaterialRow[];
    events: { at: Date | string; action: string; from_status: string | null; to_status: string | null; actor_label: string; note: string | null }[];
    clock: { at: Date | string; day: string; kind: string; due_date: string | null }[];
    documents: { id: number; kind: string; title: string; doc_no: string; issued_on: string; verify_code: string }[];
    actions: { action: string; label: string; requires: readonly string[] }[];
    evaluation: CaseDetail['evaluation'];
    benefit: CaseDetail['benefit'];
    canEnterBill: boolean;
  },
): CaseDetail {
  const answers = c.answers as Record<string, string>;
  const form = resolveForm(ci.item, answers);
  const have = new Set(parts.materials.map((m) => m.material_index));
  const staff = actor.kind === 'user' && actor.userKind === 'staff';
  const own = actor.kind === 'user' && !staff;
  const showFull = staff || own;
  return {
    ...summary(c, parts.today, parts.cal),
    applicant: {
      name: c.applicant_name,
      idNo: showFull ? c.applicant_id_no : maskCitizenId(c.applicant_id_no),
      phone: showFull ? c.applicant_phone : maskMobile(c.applicant_phone),
      email: c.applicant_email,
    },
    answers,
    lockVersion: c.lock_version,
    slaText: describeLimit(slaLimit(ci.item.timeLimit), ci.item.timeLimit.text),
    toleranceDue: c.tolerance_due,
    toleranceDueProvisional: c.status === 'tolerance_accepted' && provisionalDate(parts.cal, parts.today, c.tolerance_due),
    toleranceMaterials: c.tolerance_materials as CaseDetail['toleranceMaterials'],
    correction: c.correction as CaseDetail['correction'],
    reasons: c.reasons as CaseDetail['reasons'],
    facts: c.facts as CaseDetail['facts'],
    materials: parts.materials.map(uploadedMaterial),
    form: {
      fields: form.fields.map((f) => ({
        id: f.id,
        label: f.label,
        type: f.type,
        required: f.required,
        options: f.options,
        help: f.help,
        max: f.max,
      })),
      materials: form.materials.map((m) => ({
        index: m.index,
        name: m.name,
        form: m.form,
        note: m.note,
        condition: m.condition,
        tolerable: m.tolerable,
        toleranceDays: m.toleranceDays,
        applies: m.applies,
      })),
      recheck: form.recheck,
      limits: {
        maxFileBytes: UPLOAD_LIMITS.maxFileBytes,
        maxCaseBytes: UPLOAD_LIMITS.maxCaseBytes,
        maxFilesPerCase: UPLOAD_LIMITS.maxFilesPerCase,
        types: ['PDF', 'JPG', 'PNG'],
      },
    },
    prohibitions: staff ? ci.prohibitions.map((p) => ({ code: p.code, text: p.text })) : [],
    events: parts.events.map((e) => ({
      at: iso(e.at)!,
      action: e.action,
      label: ACTION_LABELS.get(e.action) ?? EXTRA_LABELS[e.action] ?? e.action,
      from: e.from_status,
      to: e.to_status,
      actor: staff || e.actor_label.indexOf('（工作人员）') < 0 ? e.actor_label : '工作人员',
      note: e.note,
    })),
    clockEvents: parts.clock.map((e) => ({ at: iso(e.at)!, day: e.day, kind: e.kind, dueDate: e.due_date })),
    documents: parts.documents.map((d) => ({
      id: Number(d.id),
      kind: d.kind,
      title: d.title,
      docNo: d.doc_no,
      issuedOn: d.issued_on,
      verifyCode: d.verify_code,
    })),
    actions: parts.actions.map((a) => ({ action: a.action, label: a.label, requires: [...a.requires] })),
    canEnterBill: parts.canEnterBill,
    missing: missingMaterials(form, have).map((m) => ({ index: m.index, name: m.name, tolerable: m.tolerable })),
    evaluation: parts.evaluation,
    benefit: parts.benefit,
  };
}

/** A material a case holds, as its tables give it. */
export interface MaterialRow {
  id: number;
  material_index: number;
  material_name: string;
  file_name: string;
  mime: string;
  size: number;
  phase: string;
  uploaded_at: Date | string;
}

/** An uploaded material as the case page and the upload answer it. */
export function uploadedMaterial(row: MaterialRow) {
  return {
    id: Number(row.id),
    materialIndex: row.material_index,
    materialName: row.material_name,
    fileName: row.file_name,
    mime: row.mime,
    size: Number(row.size),
    phase: row.phase,
    uploadedAt: new Date(row.uploaded_at).toISOString(),
  };
}
