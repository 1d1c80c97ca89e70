/** Table types for the insurance registry (migration 0005). Money columns are integer fen. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;
type NullableJson<T = unknown> = ColumnType<T | null, string | null | undefined, string | null>;

export interface HouseholdsTable {
  id: Generated<number>;
  address: string | null;
  created_at: Generated<Date>;
  /** Migration 0017: the agency whose staff recorded it, and who. */
  agency_code: string | null;
  created_by: string | null;
}
export interface PersonsTable {
  id: Generated<number>;
  id_no: string;
  name: string;
  sex: string;
  birth_date: string;
  hukou_region: string;
  residence_permit_region: string | null;
  status: Generated<string>;
  phone: string | null;
  bad_credit: Generated<boolean>;
  household_id: number | null;
  updated_at: Generated<Date>;
}
export interface GuardiansTable {
  /** The ward. */
  person_id: number;
  guardian_id: number;
  /** parent (父母) | other (其他监护人). */
  relation: string;
  /** Migration 0017: minor | incapacity (无民事行为能力, with basis_reason); who recorded it and when. */
  basis: Generated<string>;
  basis_reason: string | null;
  created_at: Generated<Date>;
  created_by: string | null;
}
export interface EnrolmentsTable {
  id: Generated<number>;
  person_id: number;
  agency_code: string;
  type: string;
  unit_id: number | null;
  status: string;
  start_date: string;
  end_date: string | null;
  case_id: number | null;
  updated_at: Generated<Date>;
  /** employed | flexible | retired (migration 0006). */
  employment: string | null;
}
export interface ContributionsTable {
  person_id: number;
  type: string;
  month: string;
  agency_code: string;
  base_fen: number;
  amount_fen: number;
  paid: boolean;
  paid_on: string | null;
}
export interface PersonalAccountsTable {
  person_id: number;
  agency_code: string;
  balance_fen: Generated<number>;
}
export interface AccountLedgerTable {
  id: Generated<number>;
  person_id: number;
  agency_code: string;
  at: Timestamp;
  amount_fen: number;
  balance_after_fen: number;
  kind: string;
  case_id: number | null;
  note: string | null;
}
export interface RemoteFilingsTable {
  id: Generated<number>;
  person_id: number;
  agency_code: string;
  kind: string;
  destination: string;
  valid_from: string;
  valid_to: string | null;
  pledge_due: string | null;
  case_id: number | null;
}
export interface ChronicCertsTable {
  id: Generated<number>;
  person_id: number;
  agency_code: string;
  disease: string;
  valid_from: string;
  valid_to: string | null;
  case_id: number | null;
}
export interface LockoutsTable {
  id: Generated<number>;
  person_id: number;
  agency_code: string;
  from_date: string;
  to_date: string;
  reason: string;
  /** Migration 0014: who entered it and when; lifted early from `lifted_on` (to_date keeps the original end). */
  created_at: Generated<Date>;
  created_by: string | null;
  lifted_on: string | null;
  lift_reason: string | null;
  lifted_by: string | null;
}
export interface InstitutionsTable {
  code: string;
  agency_code: string;
  name: string;
  kind: string;
  agreement_from: string | null;
  agreement_to: string | null;
  status: Generated<string>;
}
export interface InstitutionStaffTable {
  id: Generated<number>;
  institution_code: string;
  kind: string;
  name: string;
  detail: NullableJson;
  valid_from: string;
  valid_to: string | null;
}
export interface PaymentsTable {
  id: Generated<number>;
  case_id: number;
  person_id: number | null;
  agency_code: string;
  kind: string;
  amount_fen: number;
  bank_account: string | null;
  status: Generated<string>;
  trace: Json;
  created_at: Timestamp;
}
export interface RegistryHistoryTable {
  id: Generated<number>;
  at: Timestamp;
  effective_from: string;
  actor_label: string;
  entity: string;
  entity_id: string;
  person_id: number | null;
  change: Json<{ before: unknown; after: unknown }>;
  case_id: number | null;
}

export interface RuleVersionsTable {
  id: Generated<number>;
  agency_code: string;
  code: string;
  version: number;
  doc: Json;
  source: string;
  created_at: Generated<Date>;
  /** Migration 0014: the admin who published it; null when loaded from data/rules. */
  published_by: string | null;
}
export interface BenefitParamsTable {
  id: Generated<number>;
  agency_code: string;
  doc: Json;
  source_hash: string;
  created_at: Generated<Date>;
  /** Migration 0014: the admin who published it; null when loaded from data/benefits. */
  published_by: string | null;
}

export interface RosterUploadsTable {
  id: Generated<number>;
  unit_id: number;
  user_id: number;
  file_name: string;
  file_sha: string;
  total: number;
  rows: Json<unknown[]>;
  errors: Json<unknown[]>;
  status: Generated<string>;
  applied_rows: number | null;
  created_at: Generated<Date>;
  applied_at: Timestamp | null;
}

export interface TransfersTable {
  id: Generated<number>;
  case_id: number;
  person_id: number;
  dest_agency: string;
  origin_agency: string | null;
  origin_external: string | null;
  status: string;
  letter_on: string;
  origin_due: string | null;
  origin_warn: string | null;
  info_on: string | null;
  /** Migration 0024: the day the destination leg's working days are counted from. */
  dest_from: string | null;
  months: number | null;
  amount_fen: number | null;
  dest_due: string | null;
  dest_warn: string | null;
  completed_on: string | null;
  updated_at: Generated<Date>;
}

export interface CaseBillsTable {
  case_id: number;
  lines: Json<{ name: string; amount: number; category: 'covered' | 'partly' | 'excluded'; selfPayRatio?: number }[]>;
  entered_by: number;
  entered_at: Generated<Date>;
}

export interface BaseDeclarationsTable {
  unit_id: number;
  year: number;
  person_id: number;
  base_fen: number;
  declared_at: Generated<Date>;
}

export interface RegistryDB {
  base_declarations: BaseDeclarationsTable;
  case_bills: CaseBillsTable;
  transfers: TransfersTable;
  roster_uploads: RosterUploadsTable;
  rule_versions: RuleVersionsTable;
  benefit_params: BenefitParamsTable;
  households: HouseholdsTable;
  persons: PersonsTable;
  guardians: GuardiansTable;
  enrolments: EnrolmentsTable;
  contributions: ContributionsTable;
  personal_accounts: PersonalAccountsTable;
  account_ledger: AccountLedgerTable;
  remote_filings: RemoteFilingsTable;
  chronic_certs: ChronicCertsTable;
  lockouts: LockoutsTable;
  institutions: InstitutionsTable;
  institution_staff: InstitutionStaffTable;
  payments: PaymentsTable;
  registry_history: RegistryHistoryTable;
}
