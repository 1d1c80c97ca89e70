// Frozen migration. Do not edit once landed; add a new file instead.
// Hall appointments (预约): per-agency rules, business types, office hours and slot templates,
// closed days, one counter row per bookable slot, the bookings and their history.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row per agency: how far ahead, how many, and the no-show rule. `example` lists the
  // fields whose values the seeds do not state (示例).
  await db.schema
    .createTable('appt_settings')
    .addColumn('agency_code', 'text', (c) => c.primaryKey().references('agencies.code'))
    .addColumn('lead_working_days', 'integer', (c) => c.notNull().check(sql`lead_working_days between 0 and 30`))
    .addColumn('horizon_working_days', 'integer', (c) => c.notNull().check(sql`horizon_working_days between 1 and 120`))
    .addColumn('max_open', 'integer', (c) => c.notNull().check(sql`max_open between 1 and 50`))
    .addColumn('no_show_limit', 'integer', (c) => c.notNull().check(sql`no_show_limit between 1 and 50`))
    .addColumn('no_show_window_days', 'integer', (c) => c.notNull().check(sql`no_show_window_days between 1 and 3650`))
    .addColumn('no_show_ban_days', 'integer', (c) => c.notNull().check(sql`no_show_ban_days between 0 and 3650`))
    .addColumn('example', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('source', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'bigint')
    .execute();

  // 业务类型: what a visitor books (e.g. Dalian's 异地就医报销业务), with the catalogue items it covers.
  await db.schema
    .createTable('appt_business_types')
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('item_codes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('source', 'text')
    .addColumn('example', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('appt_business_types_pk', ['agency_code', 'code'])
    .execute();

  // An office that takes appointments: its opening hours on working days ([{from, to}], 'HH:MM').
  await db.schema
    .createTable('appt_offices')
    .addColumn('office_id', 'bigint', (c) => c.primaryKey().references('offices.id'))
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('hours', 'jsonb', (c) => c.notNull())
    .addColumn('hours_example', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('note', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Slot template per office and business type: slots of slot_minutes through the opening hours,
  // each with `capacity` seats.
  await db.schema
    .createTable('appt_services')
    .addColumn('office_id', 'bigint', (c) => c.notNull().references('appt_offices.office_id'))
    .addColumn('business_code', 'text', (c) => c.notNull())
    .addColumn('slot_minutes', 'integer', (c) => c.notNull().check(sql`slot_minutes between 5 and 480`))
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity between 0 and 500`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('example', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('appt_services_pk', ['office_id', 'business_code'])
    .execute();

  // Days an admin closed an office (besides the calendar's holidays and weekends).
  await db.schema
    .createTable('appt_closed_days')
    .addColumn('office_id', 'bigint', (c) => c.notNull().references('appt_offices.office_id'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('appt_closed_days_pk', ['office_id', 'day'])
    .execute();

  // One counter per bookable slot, created on its first booking. The database refuses an
  // overbooked slot: a booking is `update … set booked = booked + 1 where booked < capacity`,
  // and the check constraint holds even against a buggy writer.
  await db.schema
    .createTable('appt_slots')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('office_id', 'bigint', (c) => c.notNull().references('appt_offices.office_id'))
    .addColumn('business_code', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('booked', 'integer', (c) => c.notNull().defaultTo(0))
    .addCheckConstraint('appt_slots_booked_within_capacity', sql`booked >= 0 and booked <= capacity`)
    .addUniqueConstraint('appt_slots_key', ['office_id', 'business_code', 'day', 'start_time'])
    .execute();

  await db.schema
    .createTable('appointments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('office_id', 'bigint', (c) => c.notNull().references('offices.id'))
    .addColumn('business_code', 'text', (c) => c.notNull())
    .addColumn('business_name', 'text', (c) => c.notNull())
    .addColumn('item_code', 'text')
    .addColumn('item_name', 'text')
    .addColumn('slot_id', 'bigint', (c) => c.notNull().references('appt_slots.id'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('person_name', 'text', (c) => c.notNull())
    .addColumn('mobile', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('booked','cancelled','checked_in','served','no_show')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reschedules', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('cancel_reason', 'text')
    .addColumn('cancelled_by', 'text')
    .addColumn('checked_in_at', 'timestamptz')
    .addColumn('checked_in_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('served_at', 'timestamptz')
    .addColumn('served_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('no_show_at', 'timestamptz')
    .addColumn('reminded_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('appointments_user').on('appointments').columns(['user_id', 'status', 'day']).execute();
  await db.schema.createIndex('appointments_office_day').on('appointments').columns(['office_id', 'day', 'start_time']).execute();
  await db.schema.createIndex('appointments_status_day').on('appointments').columns(['status', 'day']).execute();
  // One open booking per person, office, business type and day.
  await db.schema
    .createIndex('appointments_one_open')
    .on('appointments')
    .columns(['user_id', 'office_id', 'business_code', 'day'])
    .unique()
    .where(sql.ref('status'), '=', 'booked')
    .execute();

  await db.schema
    .createTable('appointment_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('appointment_id', 'bigint', (c) => c.notNull().references('appointments.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'bigint')
    .addColumn('note', 'text')
    .addColumn('data', 'jsonb')
    .execute();
  await db.schema.createIndex('appointment_events_appt').on('appointment_events').columns(['appointment_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'appointment_events',
    'appointments',
    'appt_slots',
    'appt_closed_days',
    'appt_services',
    'appt_offices',
    'appt_business_types',
    'appt_settings',
  ])
    await db.schema.dropTable(t).ifExists().execute();
}
