/** The public door of audit: the hash-chained audit log and its seals; admin-change entries. Other modules import only this file. */
export { auditAdmin, publisherLabel } from './admin.ts';
export {
  appendAudit,
  audit,
  type AuditEntry,
  type AuditSubject,
  canonicalJson,
  entryHash,
  GENESIS,
  lastSealed,
  sealAudit,
  verifyAudit,
} from './audit.ts';
