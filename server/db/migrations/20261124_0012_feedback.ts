// Frozen migration. Do not edit once landed; add a new file instead.
// 好差评 (ratings), 差评 rectification (整改), appeals (申诉), complaints (投诉) and their per-agency
// deadlines (issue 5). Plain columns so the dashboard can aggregate them in SQL: level is a
// smallint 1..5 with 5 = 非常满意, and every row carries agency_code, office_id, item code and the
// handler. Hall visits (appointments, migration 0011 in another branch) are rated through
// appointment_id, deliberately without a foreign key.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Per-agency deadlines in working days; an agency without a row uses the platform defaults.
  await db.schema
    .createTable('feedback_settings')
    .addColumn('agency_code', 'text', (c) => c.primaryKey().references('agencies.code'))
    .addColumn('rectify_days', 'smallint', (c) => c.notNull().check(sql`rectify_days between 1 and 60`))
    .addColumn('complaint_days', 'smallint', (c) => c.notNull().check(sql`complaint_days between 1 and 60`))
    .addColumn('updated_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('ratings')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('subject_kind', 'text', (c) => c.notNull().check(sql`subject_kind in ('case','visit')`))
    .addColumn('case_id', 'bigint', (c) => c.references('cases.id'))
    .addColumn('appointment_id', 'bigint')
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('office_id', 'bigint', (c) => c.references('offices.id'))
    .addColumn('item_code', 'text')
    .addColumn('item_name', 'text')
    .addColumn('case_no', 'text')
    .addColumn('handler_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('rater_user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('level', 'smallint', (c) => c.notNull().check(sql`level between 1 and 5`))
    .addColumn('bad', 'boolean', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    // An upheld appeal keeps the rating on record but out of the satisfaction figures.
    .addColumn('excluded', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('appeal_outcome', 'text', (c) => c.check(sql`appeal_outcome in ('pending','upheld','rejected')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint(
      'ratings_subject',
      sql`(subject_kind = 'case' and case_id is not null and appointment_id is null) or (subject_kind = 'visit' and appointment_id is not null)`,
    )
    .execute();
  // One rating per case and per visit.
  await sql`create unique index ratings_case_once on ratings (case_id) where subject_kind = 'case'`.execute(db);
  await sql`create unique index ratings_visit_once on ratings (appointment_id) where subject_kind = 'visit'`.execute(db);
  await db.schema.createIndex('ratings_agency_created').on('ratings').columns(['agency_code', 'created_at']).execute();
  await db.schema.createIndex('ratings_rater').on('ratings').column('rater_user_id').execute();

  // 整改: opened by a 差评, worked by the agency's supervisors against a working-day deadline.
  await db.schema
    .createTable('rectifications')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('rating_id', 'bigint', (c) => c.notNull().unique().references('ratings.id'))
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('office_id', 'bigint', (c) => c.references('offices.id'))
    .addColumn('handler_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('case_id', 'bigint', (c) => c.references('cases.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','in_progress','closed','waived')`))
    .addColumn('days', 'smallint', (c) => c.notNull())
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('opened_on', 'date', (c) => c.notNull())
    // Null while the calendar does not cover the year the deadline falls in (filled in by the sweep).
    .addColumn('due_date', 'date')
    .addColumn('warn_date', 'date')
    .addColumn('calendar_problem', 'text')
    .addColumn('callback_at', 'timestamptz')
    .addColumn('callback_channel', 'text')
    .addColumn('callback_note', 'text')
    .addColumn('callback_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('result', 'text')
    .addColumn('result_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_on', 'date')
    .addColumn('warned_before_at', 'timestamptz')
    .addColumn('warned_due_at', 'timestamptz')
    .addColumn('overdue_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rectifications_queue').on('rectifications').columns(['agency_code', 'status', 'due_date']).execute();

  // 申诉: the agency says a rating is mistaken (误评) or malicious (恶意差评); a supervisor decides.
  await db.schema
    .createTable('rating_appeals')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('rating_id', 'bigint', (c) => c.notNull().unique().references('ratings.id'))
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('mistaken','malicious')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('filed_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('filed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','upheld','rejected')`))
    .addColumn('decided_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_note', 'text')
    .execute();
  await db.schema.createIndex('rating_appeals_queue').on('rating_appeals').columns(['agency_code', 'status', 'filed_at']).execute();

  // 投诉 about a case, an office or a person: online by the citizen or registered by staff from a call.
  await db.schema
    .createTable('complaints')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('complaint_no', 'text', (c) => c.notNull().unique())
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('subject_kind', 'text', (c) => c.notNull().check(sql`subject_kind in ('case','office','person','other')`))
    .addColumn('case_id', 'bigint', (c) => c.references('cases.id'))
    .addColumn('office_id', 'bigint', (c) => c.references('offices.id'))
    .addColumn('staff_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('person_name', 'text')
    .addColumn('item_code', 'text')
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('online','phone')`))
    .addColumn('phone_line', 'text')
    .addColumn('complainant_user_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('complainant_name', 'text', (c) => c.notNull())
    .addColumn('complainant_phone', 'text')
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('registered','processing','answered')`))
    .addColumn('days', 'smallint', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('registered_on', 'date', (c) => c.notNull())
    .addColumn('registered_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('due_date', 'date')
    .addColumn('warn_date', 'date')
    .addColumn('calendar_problem', 'text')
    .addColumn('handler_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('processing_at', 'timestamptz')
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('answered_at', 'timestamptz')
    .addColumn('answered_on', 'date')
    .addColumn('warned_before_at', 'timestamptz')
    .addColumn('warned_due_at', 'timestamptz')
    .addColumn('overdue_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('complaints_queue').on('complaints').columns(['agency_code', 'status', 'due_date']).execute();
  await db.schema.createIndex('complaints_complainant').on('complaints').column('complainant_user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['complaints', 'rating_appeals', 'rectifications', 'ratings', 'feedback_settings'])
    await db.schema.dropTable(t).ifExists().execute();
}
