/** The public door of audit: the hash-chained audit log and its seals; admin-change entries. Other modules import only this file. */
export { auditAdmin, publisherLabel } from './admin.ts';
export { appendAudit, type AuditEntry, canonicalJson, entryHash, GENESIS, lastSealed, sealAudit, verifyAudit } from './audit.ts';
