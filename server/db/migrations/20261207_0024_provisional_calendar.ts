// Frozen migration. Do not edit once landed; add a new file instead.
// Provisional calendar years (issue 14): a year whose State Council notice is not yet published is
// computed from the statutory holidays and stored as a version of its own kind, 'provisional'.
// transfers.dest_from: the day the destination leg's 5 working days are counted from (the day the
// 信息表 was recorded), so that leg can be counted again when its calendar year changes; rows
// before this migration counted from info_on, except external ones, counted from the day recorded.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table calendar_years drop constraint if exists calendar_years_source_check`.execute(db);
  await sql`alter table calendar_years add constraint calendar_years_source_check check (source in ('chinese-days','admin','provisional'))`.execute(
    db,
  );
  await db.schema.alterTable('transfers').addColumn('dest_from', 'date').execute();
  await sql`update transfers set dest_from = case
      when status = 'info_issued' and origin_external is not null then (updated_at at time zone 'Asia/Shanghai')::date
      else info_on end
    where status <> 'letter_sent'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('transfers').dropColumn('dest_from').execute();
  await sql`delete from calendar_years where source = 'provisional'`.execute(db);
  await sql`alter table calendar_years drop constraint if exists calendar_years_source_check`.execute(db);
  await sql`alter table calendar_years add constraint calendar_years_source_check check (source in ('chinese-days','admin'))`.execute(db);
}
