import { RadiomarkError } from '../base/errors.js';
import type { EvidenceCommand } from '../evidence/bundle.js';
import { controlKeys } from '../evidence/control-keys.js';
import type { WatermarkKey } from '../key/key.js';
import { loadWindowFilter, runClosedModeFile, type ClosedFileReport } from '../node/radioactivity-files.js';
import type { Dedup } from '../detect/score-tape.js';
import { createWatermark } from '../watermark/watermark.js';
import type { DetectOptions } from '../watermark/types.js';
import { parseJsonl, readTextInput, stringField } from './input.js';

/** Options of a closed-mode radioactivity run that decide its numbers (stored in bundles). */
export interface ClosedInvocation {
  mode: 'closed';
  alpha: number;
  controls: number;
  /** Public seed of the control keys (hex, 16 bytes). */
  controlSeed: string;
  promptRule: 'all' | 'earlier';
  skipBadLines: boolean;
  /** Whether the second input is a filter (window set or ledger). */
  filter: boolean;
}

/**
 * The closed-mode run: the suspect JSONL (`paths[0]`), an optional filter (`paths[1]`), the
 * controls derived from the invocation's seed. The CLI and `radiomark verify` both run this,
 * so a bundle's numbers are recomputed by the same code.
 */
export async function computeClosedRadioactivity(
  inv: ClosedInvocation,
  paths: readonly string[],
  keys: readonly WatermarkKey[],
  onRecord?: (n: number) => void,
): Promise<ClosedFileReport> {
  const { tokenizer, window } = keys[0]!.params;
  const filter = inv.filter ? await loadWindowFilter(paths[1]!, window, tokenizer) : undefined;
  return runClosedModeFile(paths[0]!, keys, {
    tokenizer,
    controls: controlKeys(keys[0]!.params, inv.controlSeed, inv.controls),
    filter,
    alpha: inv.alpha,
    skipBadLines: inv.skipBadLines,
    promptRule: inv.promptRule,
    onRecord,
  });
}

/** Options of a detect run that decide its numbers. */
export interface DetectInvocation {
  alpha?: number;
  dedup?: Dedup;
  /** The prompt given inline (public text), if any; a prompt file is the second input. */
  prompt?: string;
  promptFile: boolean;
  span: boolean;
  jsonl: boolean;
}

/** The detect run over `paths[0]` (and the prompt file `paths[1]`): one result, or one per JSONL line. */
export async function computeDetect(inv: DetectInvocation, paths: readonly (string | undefined)[], key: WatermarkKey) {
  const watermark = createWatermark(key);
  const prompt = inv.promptFile ? await readTextInput(paths[1]) : inv.prompt;
  const options: DetectOptions = { alpha: inv.alpha, dedup: inv.dedup, prompt: prompt === '' ? undefined : prompt };
  const file = paths[0];
  const text = await readTextInput(file);
  const source = file && file !== '-' ? file : 'stdin';
  const run = (input: string, opts: DetectOptions) => (inv.span ? watermark.detectSpan(input, opts) : watermark.detect(input, opts));
  if (!inv.jsonl) return { single: run(text, options) };
  const detections = parseJsonl(text, source).map((record) => {
    const recordPrompt = record.value.prompt;
    // As radioactivity reads JSONL: a "prompt" that is not a string is an error, not ignored.
    if (recordPrompt !== undefined && recordPrompt !== null && typeof recordPrompt !== 'string') {
      throw new RadiomarkError('INPUT_FORMAT', `${paths[0] ?? 'standard input'} line ${record.line}: field "prompt" is not a string`);
    }
    const opts = typeof recordPrompt === 'string' && recordPrompt !== '' ? { ...options, prompt: recordPrompt } : options;
    return { line: record.line, ...run(stringField(record, 'text', source), opts) };
  });
  return { detections };
}

/** Reruns the command a bundle records, on the given input files; returns its result. */
export async function rerun(
  command: EvidenceCommand,
  invocation: Record<string, unknown>,
  paths: readonly string[],
  keys: readonly WatermarkKey[],
): Promise<unknown> {
  if (command === 'radioactivity') return computeClosedRadioactivity(invocation as unknown as ClosedInvocation, paths, keys);
  if (command === 'detect') {
    const r = await computeDetect(invocation as unknown as DetectInvocation, paths, keys[0]!);
    return r.single ?? { detections: r.detections };
  }
  throw new RadiomarkError('UNSUPPORTED', `cannot reproduce ${command} bundles yet`);
}
