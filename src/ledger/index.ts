/** The request ledger (issue 11): what every collector call touched, with which identity; and the value-read classifier `verify` uses. */
export { Ledger, fileSink, type LedgerSink, type LedgerOptions } from './writer.js';
export { auditLedger, classifyCalls, describeFlagged, type LedgerAudit, type FlaggedCall } from './read.js';
export { classifyCall, mountTablesFrom, type Classification, type CallClass } from './classify.js';
export { readSiblingLedger } from './files.js';
export * from './types.js';
