// Frozen migration. Do not edit once landed; add a new file instead.
// 转移接续 legs get a 75 % warning date, like a case's clock (origin: 8th of 10 working days; destination: 4th of 5).
import { type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('transfers').addColumn('origin_warn', 'date').execute();
  await db.schema.alterTable('transfers').addColumn('dest_warn', 'date').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('transfers').dropColumn('dest_warn').execute();
  await db.schema.alterTable('transfers').dropColumn('origin_warn').execute();
}
