export {
  type AuditAction,
  type AuditEvent,
  AuditLog,
  type AuditRecord,
  auditActor,
  DEFAULT_AUDIT_LOG,
  queryHash,
} from './log.js';
