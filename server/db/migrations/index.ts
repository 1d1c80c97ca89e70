/** The ordered list of frozen migrations. Names are timestamps; append, never edit. */
import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m0001 from './20261124_0001_catalog.ts';
import * as m0002 from './20261124_0002_calendar.ts';
import * as m0003 from './20261124_0003_platform.ts';
import * as m0004 from './20261124_0004_accounts_cases.ts';
import * as m0005 from './20261124_0005_registry.ts';
import * as m0006 from './20261124_0006_rules.ts';
import * as m0007 from './20261124_0007_roster.ts';
import * as m0008 from './20261124_0008_transfers.ts';
import * as m0009 from './20261124_0009_case_bills.ts';
import * as m0010 from './20261124_0010_base_declarations.ts';
import * as m0011 from './20261124_0011_appointments.ts';
import * as m0012 from './20261124_0012_feedback.ts';
import * as m0013 from './20261124_0013_emergency.ts';
import * as m0014 from './20261124_0014_admin.ts';
import * as m0015 from './20261124_0015_dashboard.ts';
import * as m0016 from './20261124_0016_transfer_warn.ts';
import * as m0017 from './20261124_0017_persons.ts';
import * as m0018 from './20261125_0018_bench_probe.ts';
import * as m0019 from './20261125_0019_no_global_locks.ts';
import * as m0020 from './20261125_0020_documents_on_demand.ts';
import * as m0021 from './20261125_0021_seed_state.ts';
import * as m0022 from './20261125_0022_queue_index.ts';
import * as m0023 from './20261125_0023_queue_item_index.ts';
import * as m0024 from './20261207_0024_provisional_calendar.ts';
import * as m0025 from './20261207_0025_abuse_limits.ts';
import * as m0026 from './20261207_0026_duties.ts';
import * as m0027 from './20261207_0027_sessions.ts';
import * as m0028 from './20261207_0028_unit_clerks.ts';
import * as m0029 from './20261207_0029_identity.ts';
import * as m0030 from './20261208_0030_audit_tamper.ts';

const migrations: Record<string, Migration> = {
  '20261124_0001_catalog': m0001,
  '20261124_0002_calendar': m0002,
  '20261124_0003_platform': m0003,
  '20261124_0004_accounts_cases': m0004,
  '20261124_0005_registry': m0005,
  '20261124_0006_rules': m0006,
  '20261124_0007_roster': m0007,
  '20261124_0008_transfers': m0008,
  '20261124_0009_case_bills': m0009,
  '20261124_0010_base_declarations': m0010,
  '20261124_0011_appointments': m0011,
  '20261124_0012_feedback': m0012,
  '20261124_0013_emergency': m0013,
  '20261124_0014_admin': m0014,
  '20261124_0015_dashboard': m0015,
  '20261124_0016_transfer_warn': m0016,
  '20261124_0017_persons': m0017,
  '20261125_0018_bench_probe': m0018,
  '20261125_0019_no_global_locks': m0019,
  '20261125_0020_documents_on_demand': m0020,
  '20261125_0021_seed_state': m0021,
  '20261125_0022_queue_index': m0022,
  '20261125_0023_queue_item_index': m0023,
  '20261207_0024_provisional_calendar': m0024,
  '20261207_0025_abuse_limits': m0025,
  '20261207_0026_duties': m0026,
  '20261207_0027_sessions': m0027,
  '20261207_0028_unit_clerks': m0028,
  '20261207_0029_identity': m0029,
  '20261208_0030_audit_tamper': m0030,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
