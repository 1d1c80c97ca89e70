/** Table types for 好差评, 整改, 申诉 and 投诉 (migration 0012). Kept beside types.ts to keep each file short. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTs = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface FeedbackSettingsTable {
  agency_code: string;
  rectify_days: number;
  complaint_days: number;
  updated_by: number | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
export interface RatingsTable {
  id: Generated<number>;
  subject_kind: 'case' | 'visit';
  case_id: number | null;
  appointment_id: number | null;
  agency_code: string;
  office_id: number | null;
  item_code: string | null;
  item_name: string | null;
  case_no: string | null;
  handler_id: number | null;
  rater_user_id: number;
  level: number;
  bad: boolean;
  comment: Generated<string>;
  excluded: Generated<boolean>;
  appeal_outcome: 'pending' | 'upheld' | 'rejected' | null;
  created_at: Timestamp;
}
export interface RectificationsTable {
  id: Generated<number>;
  rating_id: number;
  agency_code: string;
  office_id: number | null;
  handler_id: number | null;
  case_id: number | null;
  status: 'open' | 'in_progress' | 'closed' | 'waived';
  days: number;
  opened_at: Timestamp;
  opened_on: string;
  due_date: string | null;
  warn_date: string | null;
  calendar_problem: string | null;
  callback_at: NullableTs;
  callback_channel: string | null;
  callback_note: string | null;
  callback_by: number | null;
  result: string | null;
  result_by: number | null;
  closed_at: NullableTs;
  closed_on: string | null;
  warned_before_at: NullableTs;
  warned_due_at: NullableTs;
  overdue_at: NullableTs;
  updated_at: Timestamp;
}
export interface RatingAppealsTable {
  id: Generated<number>;
  rating_id: number;
  agency_code: string;
  kind: 'mistaken' | 'malicious';
  reason: string;
  filed_by: number;
  filed_at: Timestamp;
  status: 'pending' | 'upheld' | 'rejected';
  decided_by: number | null;
  decided_at: NullableTs;
  decision_note: string | null;
}
export interface ComplaintsTable {
  id: Generated<number>;
  complaint_no: string;
  agency_code: string;
  subject_kind: 'case' | 'office' | 'person' | 'other';
  case_id: number | null;
  office_id: number | null;
  staff_id: number | null;
  person_name: string | null;
  item_code: string | null;
  channel: 'online' | 'phone';
  phone_line: string | null;
  complainant_user_id: number | null;
  complainant_name: string;
  complainant_phone: string | null;
  content: string;
  status: 'registered' | 'processing' | 'answered';
  days: number;
  registered_at: Timestamp;
  registered_on: string;
  registered_by: number | null;
  due_date: string | null;
  warn_date: string | null;
  calendar_problem: string | null;
  handler_id: number | null;
  processing_at: NullableTs;
  answer: string | null;
  answered_by: number | null;
  answered_at: NullableTs;
  answered_on: string | null;
  warned_before_at: NullableTs;
  warned_due_at: NullableTs;
  overdue_at: NullableTs;
  updated_at: Timestamp;
}

export interface FeedbackDB {
  feedback_settings: FeedbackSettingsTable;
  ratings: RatingsTable;
  rectifications: RectificationsTable;
  rating_appeals: RatingAppealsTable;
  complaints: ComplaintsTable;
}
