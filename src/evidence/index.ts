// radiomark/evidence: key commitments, signed evidence bundles and their checks (browser-safe).
export { keyCommitment, canonicalParams, COMMITMENT_DOMAIN } from './key-commitment.js';
export { SigningKey, generateSigningKey, exportSigningKey, importSigningKey, verifyEd25519, SIGNING_KEY_FORMAT } from './signing-key.js';
export {
  EVIDENCE_FORMAT,
  EVIDENCE_VERSION,
  bundleMessage,
  signBundle,
  checkSignature,
  parseBundle,
  type EvidenceBundle,
  type EvidenceCommand,
} from './bundle.js';
export { checkConsistency } from './consistency.js';
export { canonicalJson, firstDifference } from './canonical-json.js';
export { digestInput, type InputDigest } from './input-digest.js';
export { controlKeys } from './control-keys.js';
export {
  BETTING_TILTS,
  bettingLog10PValue,
  bernoulliBettingLog10P,
  binomialSumBettingLog10P,
  exponentialBettingLog10P,
} from '../stats/betting-martingale.js';
