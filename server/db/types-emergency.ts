/** Table types for emergency mode (migration 0013). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface EmergencyRegimesTable {
  id: Generated<number>;
  agency_code: string;
  code: string;
  version: number;
  doc: Json;
  source: string;
  note: string | null;
  created_by: string;
  created_at: Generated<Date>;
}
export interface EmergencyPeriodsTable {
  id: Generated<number>;
  agency_code: string;
  regime_id: number;
  start_date: string;
  end_date: string | null;
  note: string | null;
  on_by: number | null;
  on_by_label: string;
  on_at: Timestamp;
  extended_at: Timestamp | null;
  off_on: string | null;
  off_at: Timestamp | null;
  off_by: number | null;
  off_by_label: string | null;
  off_note: string | null;
}
export interface EmergencyExtensionsTable {
  id: Generated<number>;
  period_id: number;
  measure_id: string;
  target: string;
  entity_id: string;
  label: string;
  before_to: string | null;
  after_to: string;
  at: Timestamp;
}
export interface EmergencyPostAuditsTable {
  id: Generated<number>;
  case_id: number;
  agency_code: string;
  period_id: number;
  measure_id: string;
  status: Generated<'pending' | 'confirmed' | 'flagged'>;
  created_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: number | null;
  decided_by_label: string | null;
  note: string | null;
}

export interface EmergencyDB {
  emergency_regimes: EmergencyRegimesTable;
  emergency_periods: EmergencyPeriodsTable;
  emergency_extensions: EmergencyExtensionsTable;
  emergency_post_audits: EmergencyPostAuditsTable;
}
