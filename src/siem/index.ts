/** SIEM delivery: the API the CLI uses (`--siem-sink`, `--format ocsf|cef`). */
export { deliverFindings, DeliveryError, spoolDirFor, type ChunkOutcome, type DeliveryOptions, type DeliveryReport } from './deliver.js';
export { parseSinkSpec, SinkSpecError, type SiemFormat, type SinkKind, type SinkSpec } from './spec.js';
export { buildSiemEvents, type SiemEvent } from './events.js';
export { DEFAULT_SPOOL_LIMITS, type SpoolLimits } from './spool.js';
