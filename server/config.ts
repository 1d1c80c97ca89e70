/** The only reader of process.env. Validated at boot; a bad value stops the start with a clear message. */
import { z } from 'zod';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UPLOAD_LIMITS } from '../common/forms.ts';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url('DATABASE_URL 应为 postgres://… 形式的连接串').optional()),
  /**
   * The OWNER role's connection (PostgreSQL). When set, boot migrates and seeds with it and serves
   * with DATABASE_URL, the least-privilege app role (server/db/roles.ts, `npm run db:roles`).
   */
  MIGRATION_DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().url('MIGRATION_DATABASE_URL 应为 postgres://… 形式的连接串（属主角色）').optional(),
  ),
  /** PostgreSQL connections this instance holds at most (a transaction keeps one for its whole length). */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Directory of the embedded PGlite database (used when DATABASE_URL is unset). */
  PGLITE_DIR: z.string().default('var/db'),
  DATA_DIR: z.string().default('data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Font used for generated PDFs (a .ttc/.ttf/.otf with CJK glyphs). */
  PDF_FONT: z.string().optional(),
  PDF_FONT_BOLD: z.string().optional(),
  /** Skip loading data/ into an empty database (tests that build their own data). */
  SEED: z.enum(['auto', 'off']).default('auto'),
  /** Where uploaded materials and issued documents are stored, content-addressed. */
  FILES_DIR: z.string().default('var/files'),
  /** Where `npm run backup` writes a backup (one directory per backup). */
  BACKUP_DIR: z.string().default('var/backups'),
  /**
   * Directories a backup holds besides the database and FILES_DIR (comma-separated; missing ones are
   * skipped). Unset: SECRETS_DIR, the directory of AUDIT_KEY_FILE and AUDIT_CHECKPOINT_DIR.
   */
  BACKUP_EXTRA_DIRS: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  /** Key files kept outside the database (data.key: the data key when DATA_KEYS is unset, made on first start). */
  SECRETS_DIR: z.string().default('var/secrets'),
  /** Data keys for files (and personal data) at rest: "kid:base64-of-32-bytes,…", the first current, the rest decrypt older data. */
  DATA_KEYS: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  /** A stored file no row references is removed once it has not been put for this long. */
  STORAGE_GC_GRACE_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(24),
  /** Bytes one (non-staff) account may upload per day, all cases together (common/forms.ts UPLOAD_LIMITS). */
  UPLOAD_DAILY_BYTES: z.coerce.number().int().min(1).max(2_000_000_000).default(UPLOAD_LIMITS.maxAccountBytesPerDay),
  /** The public address printed in QR codes on documents (…/verify/{code}). */
  PUBLIC_URL: z.string().url().default('http://localhost:3000'),
  /**
   * Whom to believe about the client's address (X-Forwarded-For), which the per-address limits count:
   * 'off' (the socket's address), 'on' (any proxy; only when nothing reaches the server but through
   * one), or the proxies' addresses/CIDRs separated by commas.
   */
  TRUST_PROXY: z.string().default('off'),
  /** Mark cookies Secure. Unset: Secure whenever PUBLIC_URL is https; 'on'/'off' overrides. */
  COOKIE_SECURE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['on', 'off']).optional()),
  /** Seconds a claimed outbox message stays leased; after a crash it is resent once the lease runs out. */
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  /** Dev tools such as /api/dev/sms (the SMS outbox viewer, anonymous): only when set 'on' explicitly. */
  DEV_TOOLS: z.enum(['on', 'off']).default('off'),
  /** Outgoing mail server, e.g. smtp://127.0.0.1:2525. Unset: mail is only logged (dev). */
  SMTP_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url('SMTP_URL 应为 smtp://… 或 smtps://… 形式').optional()),
  MAIL_FROM: z.string().default('医保经办服务平台 <noreply@yibao.local>'),
  /** 'outbox': texts go into the sms_messages table (the dev provider); 'log': only logged. */
  SMS_ADAPTER: z.enum(['outbox', 'log']).default('outbox'),
  /** 'off': this instance serves HTTP only and leaves jobs and the outbox to other instances (docs/SCALING.md). */
  JOBS: z.enum(['on', 'off']).default('on'),
  /**
   * Audit keys (HMAC-SM3), `kid:base64key` separated by commas, the first sealing new rows; older keys
   * stay listed to verify what they sealed. Unset: the keys in AUDIT_KEY_FILE (generated on first start).
   */
  AUDIT_KEYS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^\s*[A-Za-z0-9._-]+:[A-Za-z0-9+/=]+\s*(,\s*[A-Za-z0-9._-]+:[A-Za-z0-9+/=]+\s*)*$/, 'AUDIT_KEYS 应写作 kid:base64密钥,kid2:base64密钥')
      .optional(),
  ),
  AUDIT_KEY_FILE: z.string().default('var/secrets/audit.key'),
  /** Signed checkpoints of the audit chain's head, outside the database ('off': none). */
  AUDIT_CHECKPOINT_DIR: z.string().default('var/audit-checkpoints'),
  AUDIT_CHECKPOINT_SECONDS: z.coerce.number().int().min(1).max(86400).default(60),
  /** An audit row still unsealed after this long fails verification (the sealer runs every second). */
  AUDIT_SEAL_GRACE_SECONDS: z.coerce.number().int().min(1).max(86400).default(600),
  /** Data rows a roster file may have (增减员花名册); reading stops at the first row past it. */
  ROSTER_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(200_000),
  /** 'on': the benchmark's ceiling routes under /api/bench (npm run bench). Never on in production. */
  BENCH_ROUTES: z.enum(['on', 'off']).default('off'),
});

export type Config = z.infer<typeof schema> & {
  webDist: string;
  fonts: { regular?: string; bold?: string };
  trustProxy: boolean | string;
  cookieSecure: boolean;
  /** BACKUP_EXTRA_DIRS as a list (its default resolved). */
  backupExtraDirs: string[];
};

function trustProxyOf(v: string): boolean | string {
  if (v === 'off' || v === '') return false;
  if (v === 'on') return true;
  return v;
}

const FONT_CANDIDATES = [
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc'],
  ['/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', '/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc'],
  ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'],
] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<z.input<typeof schema>> = {}): Config {
  const res = schema.safeParse({ ...env, ...overrides });
  if (!res.success) {
    const lines = res.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const c = res.data;
  if (c.MIGRATION_DATABASE_URL && !c.DATABASE_URL)
    throw new Error('Invalid configuration:\n  MIGRATION_DATABASE_URL: 须同时设置 DATABASE_URL（应用角色）');
  let regular = c.PDF_FONT;
  let bold = c.PDF_FONT_BOLD;
  if (!regular) {
    const found = FONT_CANDIDATES.find(([r]) => existsSync(r));
    if (found) {
      regular = found[0];
      bold = bold ?? (existsSync(found[1]) ? found[1] : found[0]);
    }
  }
  return {
    ...c,
    webDist: path.resolve(import.meta.dirname, '../web/dist'),
    fonts: { regular, bold: bold ?? regular },
    trustProxy: trustProxyOf(c.TRUST_PROXY),
    cookieSecure: c.COOKIE_SECURE ? c.COOKIE_SECURE === 'on' : c.PUBLIC_URL.startsWith('https:'),
    backupExtraDirs: c.BACKUP_EXTRA_DIRS
      ? c.BACKUP_EXTRA_DIRS.split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : [...new Set([c.SECRETS_DIR, path.dirname(c.AUDIT_KEY_FILE), c.AUDIT_CHECKPOINT_DIR].map((p) => path.normalize(p)))],
  };
}
