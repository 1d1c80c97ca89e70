/** Table types for the dashboard's derived working-day table (migration 0015). */
import type { ColumnType } from 'kysely';

export interface WorkingDayOrdinalsTable {
  region_code: string;
  day: string;
  working: boolean;
  ord: number;
  span: number;
}
export interface WorkingDayStampsTable {
  region_code: string;
  calendar_stamp: number;
  years: number[];
  refreshed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DashboardDB {
  working_day_ordinals: WorkingDayOrdinalsTable;
  working_day_stamps: WorkingDayStampsTable;
}
