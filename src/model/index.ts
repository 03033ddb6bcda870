// `radiomark/model`: the language-model interface and the embedded Kneser-Ney reference model
// (training, perplexity, the `.rmkn` file format).
export type { LanguageModel } from './language-model.js';
export { KneserNeyModel } from './kneser-ney-model.js';
export { trainKneserNey, MAX_KNESER_NEY_ORDER, type KneserNeyOptions } from './train-kneser-ney.js';
export { perplexity, type TokenScorer } from './perplexity.js';
export {
  serializeModel,
  deserializeModel,
  readModelInfo,
  MODEL_FORMAT_VERSION,
  type ModelProvenance,
  type ModelFileInfo,
} from './model-format.js';
