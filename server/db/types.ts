/** Table types for Kysely. Keep in step with migrations/. */
import type { ColumnType, Generated } from 'kysely';
import type { CasesDB } from './types-cases.ts';
import type { RegistryDB } from './types-registry.ts';
import type { FeedbackDB } from './types-feedback.ts';
import type { AppointmentsDB } from './types-appointments.ts';
import type { EmergencyDB } from './types-emergency.ts';
import type { DashboardDB } from './types-dashboard.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface RegionsTable {
  code: string;
  name: string;
  parent_code: string | null;
  province: string;
}
export interface AgenciesTable {
  code: string;
  name: string;
  short_name: string;
  region_code: string;
  /** The acceptor may not review; 复核 by a third person (common/duties.ts). */
  separation_of_duties: Generated<boolean>;
  created_at: Generated<Date>;
}
export interface CatalogVersionsTable {
  id: Generated<number>;
  agency_code: string;
  version: number;
  status: 'draft' | 'published' | 'withdrawn';
  effective_from: string | null;
  source_hash: string;
  source_name: string;
  note: string | null;
  doc: Json;
  created_at: Generated<Date>;
  published_at: Timestamp | null;
}
export interface DepartmentsTable {
  agency_code: string;
  code: string;
  seq: number;
  name: string;
  doc: Json;
  active: Generated<boolean>;
}
export interface OfficesTable {
  id: Generated<number>;
  agency_code: string;
  code: string;
  seq: number;
  name: string;
  kind: string;
  doc: Json;
  active: Generated<boolean>;
}
export interface ItemsTable {
  id: Generated<number>;
  agency_code: string;
  code: string;
}
export interface ItemVersionsTable {
  id: Generated<number>;
  item_id: number;
  catalog_version_id: number;
  agency_code: string;
  seq: number;
  code: string;
  name: string;
  category_code: string;
  national: number | null;
  time_limit_kind: string;
  time_limit_value: number | null;
  time_limit_unit: string | null;
  time_limit_text: string;
  search_text: string;
  doc: Json;
}
export interface CalendarYearsTable {
  id: Generated<number>;
  region_code: string;
  year: number;
  version: number;
  days: Json<{ holidays: { date: string; name: string }[]; workdays: { date: string; name: string }[] }>;
  source: 'chinese-days' | 'admin' | 'provisional';
  note: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  dedupe_key: string | null;
  payload: Json;
  run_at: Timestamp;
  status: Generated<'pending' | 'running' | 'done' | 'failed' | 'dead'>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_by: string | null;
  locked_at: Date | null;
  last_error: string | null;
  created_at: Generated<Date>;
  done_at: Date | null;
}
export interface OutboxTable {
  id: Generated<number>;
  channel: 'email' | 'sms' | 'inapp';
  recipient: string;
  subject: string | null;
  body: string;
  meta: ColumnType<unknown, string | null | undefined, string | null>;
  status: Generated<'pending' | 'sent' | 'failed' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Date | null;
  agency_code: string | null;
  case_id: number | null;
  user_id: number | null;
}
export interface SmsMessagesTable {
  id: Generated<number>;
  phone: string;
  text: string;
  created_at: Timestamp;
}
export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, Date | string, Date | string>;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  subject_kind: string;
  subject_id: string;
  agency_code: string | null;
  request_id: string | null;
  ip: string | null;
  data: ColumnType<unknown, string | null | undefined, string | null>;
  /** Migration 0019: position in the chain, set by the sealer with prev_hash and hash (null until sealed). */
  seq: ColumnType<number | null, number | null | undefined, number | null>;
  prev_hash: ColumnType<string | null, string | null | undefined, string | null>;
  hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** Migration 0030: the audit key the row's MAC and seal were made with (null: a legacy sha256 row). */
  key_id: ColumnType<string | null, string | null | undefined, never>;
  /** Migration 0030: nonce.HMAC of the row's content, computed by appendAudit. */
  mac: ColumnType<string | null, string | null | undefined, never>;
}

/** Migration 0030: the last audit_log id of the legacy (public sha256) chain. */
export interface AuditLegacyTable {
  singleton: Generated<boolean>;
  last_id: number;
  rows: number;
  at: Generated<Date>;
}

export interface DB extends CasesDB, RegistryDB, FeedbackDB, AppointmentsDB, EmergencyDB, DashboardDB {
  regions: RegionsTable;
  agencies: AgenciesTable;
  catalog_versions: CatalogVersionsTable;
  departments: DepartmentsTable;
  offices: OfficesTable;
  items: ItemsTable;
  item_versions: ItemVersionsTable;
  calendar_years: CalendarYearsTable;
  jobs: JobsTable;
  outbox: OutboxTable;
  sms_messages: SmsMessagesTable;
  audit_log: AuditLogTable;
  audit_legacy: AuditLegacyTable;
  bench_writes: BenchWritesTable;
  seed_state: SeedStateTable;
}

/** Migration 0021: the data files' fingerprint at the last complete seeding, per data directory. */
export interface SeedStateTable {
  data_dir: string;
  fingerprint: string;
  seeded_at: Generated<Date>;
}

/** Migration 0018: the benchmark's single-write ceiling (written only when BENCH_ROUTES=on). */
export interface BenchWritesTable {
  id: Generated<number>;
  at: Generated<Date>;
  note: string;
}
