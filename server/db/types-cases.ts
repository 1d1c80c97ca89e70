/** Table types for accounts and cases (migration 0004). Kept beside types.ts to keep each file short. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTs = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T = unknown> = ColumnType<T, string, string>;
type NullableJson<T = unknown> = ColumnType<T | null, string | null | undefined, string | null>;

export interface UnitsTable {
  id: Generated<number>;
  uscc: string;
  name: string;
  created_at: Generated<Date>;
  /** Added by migration 0005 (registry). */
  legal_rep: string | null;
  status: Generated<string>;
  avg_monthly_wage_fen: number | null;
  agency_code: string | null;
}
export interface UsersTable {
  id: Generated<number>;
  kind: 'citizen' | 'agent' | 'unit' | 'institution' | 'staff';
  login: string;
  mobile: string | null;
  password_hash: string;
  name: string;
  id_no: string | null;
  unit_id: number | null;
  institution_code: string | null;
  agency_code: string | null;
  department_code: string | null;
  office_id: number | null;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  totp_secret: string | null;
  /** The last accepted TOTP step (int8, read as a string); a code at or before it is refused. */
  totp_last_step: ColumnType<string | null, number | null | undefined, number | null>;
  bad_credit: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: NullableTs;
  disabled: Generated<boolean>;
  created_at: Generated<Date>;
  /** Migration 0029: when and how the ID number was verified (预留手机号 code or a window check), and by which clerk. */
  id_verified_at: NullableTs;
  id_verified_via: 'sms' | 'window' | null;
  id_verified_by: ColumnType<string | null, number | null | undefined, number | null>;
}
export interface AuthorisationsTable {
  id: Generated<number>;
  agent_user_id: number;
  principal_name: string;
  principal_id_no: string;
  principal_phone: string | null;
  relation: string;
  scope: string;
  valid_until: string;
  file_sha: string | null;
  created_at: Generated<Date>;
  revoked_at: NullableTs;
  /** Migration 0029: the principal's confirmation (a code sent to the registry's number, or at a window). */
  confirmed_at: NullableTs;
  confirmed_via: 'sms' | 'window' | null;
  confirmed_by: ColumnType<string | null, number | null | undefined, number | null>;
}
export interface SessionsTable {
  id_hash: string;
  user_id: number;
  csrf: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  ip: string | null;
  revoked_at: NullableTs;
  /** A number naming the session in the account's list (the token's hash is never shown). */
  id: Generated<number>;
  last_seen_at: Timestamp;
  user_agent: string | null;
}
export interface LoginAttemptsTable {
  id: Generated<number>;
  login: string;
  ip: string | null;
  ok: boolean;
  reason: string | null;
  at: Timestamp;
}
/** One fixed window of one limited key (server/platform/rate-limit.ts). */
export interface RateCountersTable {
  key: string;
  window_start: Timestamp;
  n: number;
  expires_at: Timestamp;
}
export interface SmsCodesTable {
  id: Generated<number>;
  mobile: string;
  purpose: string;
  code_hash: string;
  attempts: Generated<number>;
  expires_at: Timestamp;
  used_at: NullableTs;
  created_at: Timestamp;
}
export interface FilesTable {
  sha256: string;
  size: number;
  mime: string;
  created_at: Generated<Date>;
}
export interface CasesTable {
  id: Generated<number>;
  case_no: string | null;
  agency_code: string;
  item_id: number;
  item_version_id: number;
  item_code: string;
  item_name: string;
  status: string;
  prev_status: string | null;
  channel: string;
  owner_user_id: number | null;
  authorisation_id: number | null;
  unit_id: number | null;
  registered_by: number | null;
  applicant_name: Generated<string>;
  applicant_id_no: Generated<string>;
  applicant_phone: Generated<string>;
  applicant_email: string | null;
  answers: Json<Record<string, string>>;
  office_id: number | null;
  assignee_id: number | null;
  idempotency_key: string | null;
  submitted_at: NullableTs;
  queued_at: NullableTs;
  accepted_at: NullableTs;
  completed_at: NullableTs;
  sla_kind: string | null;
  sla_value: number | null;
  sla_start: string | null;
  due_date: string | null;
  warn_date: string | null;
  clock_state: Generated<string>;
  paused_on: string | null;
  warned75_at: NullableTs;
  warned_last_at: NullableTs;
  breached_at: NullableTs;
  tolerance_due: string | null;
  tolerance_materials: NullableJson<{ index: number; name: string }[]>;
  facts: NullableJson<{ checked: string[]; found: string[]; note?: string }>;
  reasons: NullableJson<{ code?: string; text: string }[]>;
  correction: NullableJson<{ materials: { index: number; name: string; note?: string }[]; note?: string; requestedOn: string }>;
  lock_version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface CaseMaterialsTable {
  id: Generated<number>;
  case_id: number;
  material_index: number;
  material_name: string;
  file_sha: string;
  file_name: string;
  mime: string;
  size: number;
  phase: string;
  uploaded_by: number | null;
  uploaded_at: Timestamp;
  removed_at: NullableTs;
}
export interface CaseEventsTable {
  id: Generated<number>;
  case_id: number;
  at: Timestamp;
  action: string;
  from_status: string | null;
  to_status: string | null;
  actor_id: number | null;
  actor_label: string;
  note: string | null;
  data: NullableJson;
}
export interface CaseClockEventsTable {
  id: Generated<number>;
  case_id: number;
  at: Timestamp;
  day: string;
  kind: string;
  due_date: string | null;
  data: NullableJson;
}
export interface DocumentsTable {
  id: Generated<number>;
  case_id: number;
  agency_code: string;
  kind: string;
  title: string;
  doc_no: string;
  verify_code: string;
  /** Migration 0020: null until the PDF is first downloaded and rendered from `content`. */
  file_sha: string | null;
  /** Migration 0020: the notice's frozen data (NoticeData), rendered on demand. */
  content: ColumnType<unknown, string | null | undefined, string | null>;
  issued_on: string;
  issued_at: Timestamp;
  public_facts: Json<Record<string, string>>;
}
export interface SavedFiltersTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  filters: Json<Record<string, string>>;
  created_at: Generated<Date>;
}
export interface OutOfTurnTable {
  id: Generated<number>;
  case_id: number;
  user_id: number;
  agency_code: string;
  reason: string;
  skipped: number;
  at: Timestamp;
}

/** A request to act for a unit (单位经办人), decided by the unit's clerk or agency staff. */
export interface UnitClerkRequestsTable {
  id: Generated<number>;
  unit_id: number;
  user_id: number;
  agency_code: string | null;
  status: Generated<'pending' | 'approved' | 'rejected' | 'revoked'>;
  letter_sha: string | null;
  letter_name: string | null;
  letter_mime: string | null;
  letter_size: number | null;
  decided_by: number | null;
  decided_as: 'clerk' | 'agency' | 'migration' | null;
  decided_at: NullableTs;
  reason: string | null;
  revoked_by: number | null;
  revoked_at: NullableTs;
  created_at: Generated<Date>;
}

export interface CasesDB {
  units: UnitsTable;
  unit_clerk_requests: UnitClerkRequestsTable;
  users: UsersTable;
  authorisations: AuthorisationsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  sms_codes: SmsCodesTable;
  rate_counters: RateCountersTable;
  files: FilesTable;
  cases: CasesTable;
  case_materials: CaseMaterialsTable;
  case_events: CaseEventsTable;
  case_clock_events: CaseClockEventsTable;
  documents: DocumentsTable;
  saved_filters: SavedFiltersTable;
  out_of_turn: OutOfTurnTable;
}
