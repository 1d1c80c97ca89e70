/** The public door of audit: the keyed, hash-chained audit log, its seals and checkpoints; admin-change entries. Other modules import only this file. */
export { auditAdmin, publisherLabel } from './admin.ts';
export {
  appendAudit,
  audit,
  type AuditEntry,
  type AuditFailure,
  type AuditFailureReason,
  auditSealTask,
  auditSetup,
  auditSetupFrom,
  type AuditSetup,
  type AuditSubject,
  type AuditVerdict,
  canonicalJson,
  configureAudit,
  entryHash,
  generatedKeyWarning,
  GENESIS,
  lastSealed,
  sealAudit,
  sealedColumns,
  verifyAudit,
  writeCheckpoint,
} from './audit.ts';
export { LEGACY_KEY_ID, MAC_HASH } from './keys.ts';
