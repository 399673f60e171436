/** vaultproof's own structured log (issue 11). */
export { Logger, defaultLogFormat, LOG_FORMATS, type LogFormat, type LogLevel, type LogContext, type LoggerOptions } from './logger.js';
export { Redactor, REDACTED, isSensitiveKey } from './redact.js';
