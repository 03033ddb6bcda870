// The keyed PRF of radiomark (docs/SPEC.md): sub-key derivation, SipHash-2-4, the per-token
// mixer, the green rule and the logit bias.
export {
  KDF_INFO_PREFIX,
  KDF_SALT,
  MASTER_SECRET_BYTES,
  contextSeedPurpose,
  deriveSchemeKeys,
  deriveSubkey,
  keyId,
  rankPurpose,
  type SchemeKeys,
} from './derive.js';
export { sipHash24, sipHashWords, sipKey, type SipKey } from './siphash.js';
export {
  MIX_C1,
  MIX_C2,
  MIX_C3,
  biasGreen,
  biasGreenScalar,
  effectiveGamma,
  greenMask,
  greenThreshold,
  isGreen,
  tokenUniform,
} from './token-mixer.js';
export { setWasmDisabled, wasmSimdAvailable } from './bias-wasm.js';
