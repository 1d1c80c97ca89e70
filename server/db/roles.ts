/**
 * The least-privilege application role (PostgreSQL only; PGlite has one user and no roles).
 *
 * The OWNER role (MIGRATION_DATABASE_URL) owns the schema and every table: it migrates and seeds.
 * The APP role (DATABASE_URL) serves: it may read and write rows, take sequence numbers and call
 * functions, and nothing else — it owns nothing, so it cannot DROP, ALTER, TRUNCATE or disable a
 * trigger, and it may not CREATE in the schema (nor temporary tables). Append-only tables get
 * SELECT and INSERT only; audit_log also the UPDATE of the columns its sealer writes.
 *
 * grantAppRole() sets that exactly (revoke everything, then grant), in one transaction, and is run
 * by `npm run db:roles` and by boot after a migration ran (so a new table is covered at once; the
 * default privileges cover tables the owner creates later in any case).
 */
import { sql, type Kysely } from 'kysely';

/** Tables the application only appends to (never updated or deleted by the app). */
export const APPEND_ONLY_TABLES = ['audit_log', 'case_events', 'case_clock_events', 'registry_history'] as const;
/**
 * audit_log columns the sealer fills in. Nothing else: a row's key id and MAC (where the keyed seal
 * exists) are written by its INSERT, and the append-only trigger refuses any other change anyway.
 */
export const AUDIT_SEAL_COLUMNS = ['seq', 'hash', 'prev_hash'] as const;
/** Tables the app reads and never writes: the migrator's own, and the frozen legacy-chain mark. */
const READ_ONLY_TABLES = ['kysely_migration', 'kysely_migration_lock', 'audit_legacy'] as const;

/** The user name in a postgres:// URL (the role it connects as), or undefined when it names none. */
export function roleOfUrl(url: string): string | undefined {
  const u = new URL(url);
  return u.username ? decodeURIComponent(u.username) : undefined;
}

export interface GrantReport {
  role: string;
  owner: string;
  database: string;
  tables: number;
  appendOnly: string[];
  sealColumns: string[];
}

/**
 * Give `role` exactly the application's privileges on the database `db` is connected to, as its
 * owner. Refuses (throws) when the role is missing, is the owner, is a superuser or may create
 * roles or databases or bypass row security, or is a member of the owner role.
 */
export async function grantAppRole(db: Kysely<any>, role: string): Promise<GrantReport> {
  return db.transaction().execute(async (trx) => {
    const me = (await sql<{ owner: string; database: string }>`select current_user as owner, current_database() as database`.execute(trx)).rows[0]!;
    const r = (
      await sql<{
        rolsuper: boolean;
        rolcreaterole: boolean;
        rolcreatedb: boolean;
        rolbypassrls: boolean;
        member: boolean;
      }>`select rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, pg_has_role(${role}, ${me.owner}, 'MEMBER') as member
           from pg_roles where rolname = ${role}`.execute(trx)
    ).rows[0];
    if (!r) throw new Error(`应用角色 ${role} 不存在：请先 create role ${role} login password '…' / app role ${role} does not exist`);
    if (role === me.owner) throw new Error(`应用角色不能是属主本身（${role}）/ the app role must not be the owner role`);
    const bad = [
      r.rolsuper && 'SUPERUSER',
      r.rolcreaterole && 'CREATEROLE',
      r.rolcreatedb && 'CREATEDB',
      r.rolbypassrls && 'BYPASSRLS',
      r.member && `member of ${me.owner}`,
    ].filter(Boolean);
    if (bad.length) throw new Error(`应用角色 ${role} 权限过大（${bad.join(', ')}）/ the app role has too much: ${bad.join(', ')}`);

    const app = sql.id(role);
    const dbName = sql.id(me.database);
    await sql`revoke all on database ${dbName} from public`.execute(trx);
    await sql`revoke all on database ${dbName} from ${app}`.execute(trx);
    await sql`grant connect on database ${dbName} to ${app}`.execute(trx);
    await sql`revoke create on schema public from public`.execute(trx);
    await sql`revoke all on schema public from ${app}`.execute(trx);
    await sql`grant usage on schema public to ${app}`.execute(trx);

    await sql`revoke all on all tables in schema public from ${app}`.execute(trx);
    await sql`revoke all on all sequences in schema public from ${app}`.execute(trx);
    await sql`grant select, insert, update, delete on all tables in schema public to ${app}`.execute(trx);
    await sql`grant usage, select on all sequences in schema public to ${app}`.execute(trx);
    await sql`grant execute on all functions in schema public to ${app}`.execute(trx);
    // Tables and sequences the owner creates later (a new migration) are the app's to use at once.
    await sql`alter default privileges in schema public grant select, insert, update, delete on tables to ${app}`.execute(trx);
    await sql`alter default privileges in schema public grant usage, select on sequences to ${app}`.execute(trx);
    await sql`alter default privileges in schema public grant execute on functions to ${app}`.execute(trx);

    const existing = new Set(
      (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(trx)).rows.map((x) => x.name),
    );
    const appendOnly = APPEND_ONLY_TABLES.filter((t) => existing.has(t));
    for (const t of appendOnly) await sql`revoke update, delete on ${sql.table(t)} from ${app}`.execute(trx);
    for (const t of READ_ONLY_TABLES.filter((x) => existing.has(x)))
      await sql`revoke insert, update, delete on ${sql.table(t)} from ${app}`.execute(trx);
    let sealColumns: string[] = [];
    if (existing.has('audit_log')) {
      const cols = new Set(
        (
          await sql<{ name: string }>`select column_name as name from information_schema.columns
            where table_schema = 'public' and table_name = 'audit_log'`.execute(trx)
        ).rows.map((x) => x.name),
      );
      sealColumns = AUDIT_SEAL_COLUMNS.filter((c) => cols.has(c));
      if (sealColumns.length) await sql`grant update (${sql.join(sealColumns.map((c) => sql.id(c)))}) on audit_log to ${app}`.execute(trx);
    }
    return { role, owner: me.owner, database: me.database, tables: existing.size, appendOnly, sealColumns };
  });
}
