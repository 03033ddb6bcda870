/**
 * radiomark/suspects: reading-mode suspects with any tokenizer (browser-safe). A
 * {@link SuspectModel} gives next-token distributions in its own vocabulary; the
 * {@link alignedPredictor} turns them into predictions of the provider's next token for
 * `ReadingModeTest.readTextBatched`. Node readers for ONNX and GGUF files: `loadSuspectModel`
 * from `radiomark`.
 *
 * @module
 */
export { allocateRows, type SuspectModel, type SuspectTokenizer } from './suspect-model.js';
export { alignedPredictor, type AlignmentStats } from './aligned-predictor.js';
export { kneserNeySuspect } from './kneser-ney-suspect.js';
export { logitsSuspect, type ForwardPass, type LogitsSuspectOptions } from './logits-suspect.js';
export { planContextWindows, type ContextWindow } from './context-windows.js';
export { suspectView, endsInsideCharacter, type SuspectView } from './provider-view.js';
export { suspectTokenizer } from './tiktoken-suspect-tokenizer.js';
export type { BatchPredictor, TopKRows } from '../radioactivity/reading-mode.js';
