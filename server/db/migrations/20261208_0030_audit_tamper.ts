// Frozen migration. Do not edit once landed; add a new file instead.
// A tamper-proof audit (issue 17): rows carry the id of the audit key (kept outside the database)
// their MAC and seal were made with, and a MAC of their content computed by the application
// (unique: a copied row is refused). Rows that exist now were chained with the public sha256
// algorithm: they keep key_id null, and audit_legacy records the last of their ids, so verification
// accepts the legacy algorithm only up to this point. A trigger makes audit_log append-only:
// DELETE and TRUNCATE are refused, and UPDATE only seals an unsealed row (sets seq, prev_hash and
// hash where they were null, nothing else). audit_legacy is frozen the same way.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table audit_log add column key_id text, add column mac text`.execute(db);
  await sql`create unique index audit_log_mac on audit_log (mac)`.execute(db);
  await sql`create table audit_legacy (
    singleton boolean primary key default true check (singleton),
    last_id bigint not null,
    rows bigint not null,
    at timestamptz not null default now())`.execute(db);
  await sql`insert into audit_legacy (last_id, rows) select coalesce(max(id), 0), count(*) from audit_log`.execute(db);

  await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.seq is null and old.prev_hash is null and old.hash is null
     and new.seq is not null and new.prev_hash is not null and new.hash is not null
     and (new.id, new.at, new.actor_kind, new.actor_id, new.actor_label, new.action, new.subject_kind, new.subject_id,
          new.agency_code, new.request_id, new.ip, new.data, new.key_id, new.mac)
         is not distinct from
         (old.id, old.at, old.actor_kind, old.actor_id, old.actor_label, old.action, old.subject_kind, old.subject_id,
          old.agency_code, old.request_id, old.ip, old.data, old.key_id, old.mac) then
    return new;
  end if;
  raise exception 'audit_log is append-only: % refused', tg_op using errcode = '42501';
end $$`.execute(db);
  await sql`create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
  await sql`create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db);

  await sql`create function audit_legacy_frozen() returns trigger language plpgsql as $$
begin
  raise exception 'audit_legacy is frozen: % refused', tg_op using errcode = '42501';
end $$`.execute(db);
  await sql`create trigger audit_legacy_frozen before insert or update or delete on audit_legacy
    for each row execute function audit_legacy_frozen()`.execute(db);
  await sql`create trigger audit_legacy_no_truncate before truncate on audit_legacy
    for each statement execute function audit_legacy_frozen()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table audit_legacy`.execute(db);
  await sql`drop function audit_legacy_frozen()`.execute(db);
  await sql`drop trigger audit_log_no_truncate on audit_log`.execute(db);
  await sql`drop trigger audit_log_append_only on audit_log`.execute(db);
  await sql`drop function audit_log_append_only()`.execute(db);
  await sql`drop index audit_log_mac`.execute(db);
  await sql`alter table audit_log drop column key_id, drop column mac`.execute(db);
}
