import { readFile } from 'node:fs/promises';
import { RadiomarkError } from '../../base/errors.js';
import { getTokenizer, TOKENIZER_VOCAB_SIZES } from '../../key/tokenizer.js';
import type { SuspectTokenizer } from '../../suspects/suspect-model.js';
import { suspectTokenizer } from '../../suspects/tiktoken-suspect-tokenizer.js';
import { describeFsError } from '../fs-errors.js';

/** The parts of a transformers.js tokenizer used here. */
interface HfTokenizer {
  encode(text: string, options: { add_special_tokens: boolean }): number[];
  decode(ids: number[], options: { skip_special_tokens: boolean }): string;
  get_vocab(): Map<string, number> | Record<string, number>;
  all_special_ids: number[];
}

/**
 * A suspect's tokenizer from a tiktoken encoding name (`cl100k_base`, `r50k_base`, ...) or
 * the path of a Hugging Face `tokenizer.json` (loaded with the tokenizer classes of
 * `@huggingface/transformers`, an optional peer dependency; a `tokenizer_config.json`
 * beside it is used when present).
 *
 * @example
 * ```ts
 * const tok = await loadSuspectTokenizer('cl100k_base');
 * const hf = await loadSuspectTokenizer('models/gpt2/tokenizer.json');
 * ```
 */
export async function loadSuspectTokenizer(spec: string): Promise<SuspectTokenizer> {
  if (TOKENIZER_VOCAB_SIZES[spec] !== undefined) return suspectTokenizer(getTokenizer(spec));
  if (!spec.endsWith('.json')) {
    throw new RadiomarkError(
      'TOKENIZER',
      `unknown tokenizer "${spec}": give a tiktoken encoding (${Object.keys(TOKENIZER_VOCAB_SIZES).join(', ')}) or a tokenizer.json file`,
    );
  }
  const json = await readJson(spec, 'tokenizer');
  const configPath = spec.replace(/tokenizer\.json$/, 'tokenizer_config.json');
  const config = configPath !== spec ? await readJson(configPath, 'tokenizer config').catch(() => ({})) : {};
  const { PreTrainedTokenizer } = await importTransformers();
  let tokenizer: HfTokenizer;
  try {
    tokenizer = new PreTrainedTokenizer(json, config) as unknown as HfTokenizer;
  } catch (cause) {
    throw new RadiomarkError('TOKENIZER', `${spec}: not a usable tokenizer.json (${firstLine(cause)})`, { cause });
  }
  return hfSuspectTokenizer(tokenizer, spec);
}

function hfSuspectTokenizer(tokenizer: HfTokenizer, name: string): SuspectTokenizer {
  const vocab = tokenizer.get_vocab();
  const ids = vocab instanceof Map ? [...vocab.values()] : Object.values(vocab);
  const vocabSize = ids.reduce((m, id) => Math.max(m, id + 1), 0);
  const special = new Set(tokenizer.all_special_ids);
  // A token's text after other text: decoders such as SentencePiece's drop a leading space at
  // the start of a text, so decode it after an anchor token and strip the anchor's text.
  const anchor = tokenizer.encode('a', { add_special_tokens: false });
  const anchorText = tokenizer.decode(anchor, { skip_special_tokens: false });
  return {
    name,
    vocabSize,
    encode: (text) => Uint32Array.from(tokenizer.encode(text, { add_special_tokens: false })),
    tokenText(id) {
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize || special.has(id)) return undefined;
      const text = tokenizer.decode([...anchor, id], { skip_special_tokens: false });
      if (!text.startsWith(anchorText)) return undefined;
      const own = text.slice(anchorText.length);
      return own === '' || own.includes('\uFFFD') ? undefined : own;
    },
  };
}

async function importTransformers(): Promise<{ PreTrainedTokenizer: new (json: unknown, config: unknown) => unknown }> {
  try {
    return (await import('@huggingface/transformers')) as unknown as {
      PreTrainedTokenizer: new (json: unknown, config: unknown) => unknown;
    };
  } catch (cause) {
    throw new RadiomarkError(
      'UNSUPPORTED',
      'reading a tokenizer.json needs the optional peer dependency @huggingface/transformers: npm install @huggingface/transformers',
      { cause },
    );
  }
}

/** Parses a JSON file; unreadable or corrupt files give a one-line RadiomarkError. */
export async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new RadiomarkError('INPUT_FORMAT', `cannot read ${what} ${path}: ${describeFsError(e)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RadiomarkError('INPUT_FORMAT', `${path}: ${what} is not valid JSON`);
  }
}

/** First line of an error's message. */
export function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
