/** Table types for hall appointments (migration 0011). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTs = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T = unknown> = ColumnType<T, string, string>;
type NullableJson<T = unknown> = ColumnType<T | null, string | null | undefined, string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface ApptSettingsTable {
  agency_code: string;
  lead_working_days: number;
  horizon_working_days: number;
  max_open: number;
  no_show_limit: number;
  no_show_window_days: number;
  no_show_ban_days: number;
  example: TextArray;
  source: string | null;
  updated_at: Timestamp;
  updated_by: number | null;
}
export interface ApptBusinessTypesTable {
  agency_code: string;
  code: string;
  seq: number;
  name: string;
  item_codes: TextArray;
  source: string | null;
  example: Generated<boolean>;
}
export interface ApptOfficesTable {
  office_id: number;
  agency_code: string;
  enabled: Generated<boolean>;
  hours: Json<{ from: string; to: string }[]>;
  hours_example: Generated<boolean>;
  note: string | null;
  updated_at: Timestamp;
}
export interface ApptServicesTable {
  office_id: number;
  business_code: string;
  slot_minutes: number;
  capacity: number;
  active: Generated<boolean>;
  example: Generated<boolean>;
}
export interface ApptClosedDaysTable {
  office_id: number;
  day: string;
  reason: string;
  created_by: number | null;
  created_at: Timestamp;
}
export interface ApptSlotsTable {
  id: Generated<number>;
  office_id: number;
  business_code: string;
  day: string;
  start_time: string;
  end_time: string;
  capacity: number;
  booked: Generated<number>;
}
export type AppointmentStatus = 'booked' | 'cancelled' | 'checked_in' | 'served' | 'no_show';
export interface AppointmentsTable {
  id: Generated<number>;
  code: string;
  agency_code: string;
  office_id: number;
  business_code: string;
  business_name: string;
  item_code: string | null;
  item_name: string | null;
  slot_id: number;
  day: string;
  start_time: string;
  end_time: string;
  user_id: number;
  person_name: string;
  mobile: string | null;
  status: AppointmentStatus;
  created_at: Timestamp;
  updated_at: Timestamp;
  reschedules: Generated<number>;
  cancelled_at: NullableTs;
  cancel_reason: string | null;
  cancelled_by: string | null;
  checked_in_at: NullableTs;
  checked_in_by: number | null;
  served_at: NullableTs;
  served_by: number | null;
  no_show_at: NullableTs;
  reminded_at: NullableTs;
}
export interface AppointmentEventsTable {
  id: Generated<number>;
  appointment_id: number;
  at: Timestamp;
  kind: string;
  actor_kind: string;
  actor_id: number | null;
  note: string | null;
  data: NullableJson;
}

export interface AppointmentsDB {
  appt_settings: ApptSettingsTable;
  appt_business_types: ApptBusinessTypesTable;
  appt_offices: ApptOfficesTable;
  appt_services: ApptServicesTable;
  appt_closed_days: ApptClosedDaysTable;
  appt_slots: ApptSlotsTable;
  appointments: AppointmentsTable;
  appointment_events: AppointmentEventsTable;
}
