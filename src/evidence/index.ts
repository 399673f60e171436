/** Evidence packs (DESIGN §7): the functions the CLI calls for `scan --evidence-pack`, `render evidence-pack`, `verify` and `keygen`. */
export { writeEvidencePack, type WriteEvidencePackOptions, type WrittenPack, type ExtraFile } from './writer.js';
export { verifyEvidencePack, type VerifyReport, type VerifyCheck, type VerifyOptions, type CheckStatus } from './verify.js';
export { loadSigner, SIGNER_SPEC_FORMS, type LoadSignerOptions } from './signers/load.js';
export { generateEd25519KeyPair, type GeneratedKeyPair } from './signers/ed25519.js';
export type { Signer, SignatureAlgorithm } from './signers/types.js';
export { renderPdf } from './pdf.js';
export { buildReportView, type ReportView, type ReportInput } from './report-model.js';
export { MANIFEST_FILE, ENVELOPE_FILE, type Manifest } from './manifest.js';
