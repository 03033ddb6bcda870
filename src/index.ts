// radiomark for Node: the browser-safe core plus key files on disk and the embedded
// reference model (its training corpora are dev dependencies: see README).
export * from './core.js';
export { saveKey, loadKey } from './node/key-store.js';
export {
  loadOrTrainReferenceModel,
  defaultCacheDir,
  referenceModelCachePath,
  type ReferenceModelOptions,
  type ReferenceModelProgress,
} from './node/model-cache.js';
export {
  heldOutDocuments,
  trainingDocuments,
  corpusTokenStreams,
  CORPUS_NAMES,
  CORPUS_PACKAGES,
  type CorpusName,
  type CorpusDocument,
} from './node/corpora.js';
export { heldOutPrompts, type HeldOutPromptOptions } from './node/heldout-prompts.js';
export {
  runClosedModeFile,
  loadWindowFilter,
  readTokenized,
  type ClosedFileOptions,
  type ClosedFileReport,
} from './node/radioactivity-files.js';
export { loadSuspectModel, type LoadSuspectOptions } from './node/suspects/load-suspect.js';
export { loadSuspectTokenizer } from './node/suspects/suspect-tokenizers.js';
