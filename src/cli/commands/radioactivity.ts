import { DEFAULT_ALPHA } from '../../stats/validate.js';
import { warn } from '../progress.js';
import { readFile } from 'node:fs/promises';
import { RadiomarkError } from '../../base/errors.js';
import { generateKey, type WatermarkKey } from '../../key/key.js';
import type { KneserNeyModel } from '../../model/kneser-ney-model.js';
import { deserializeModel } from '../../model/model-format.js';
import { getTokenizer } from '../../key/tokenizer.js';
import { loadKey } from '../../node/key-store.js';
import { readTokenized } from '../../node/radioactivity-files.js';
import { loadSuspectModel } from '../../node/suspects/load-suspect.js';
import { ReadingModeTest, type ReadingModeReport } from '../../radioactivity/reading-mode.js';
import { alignedPredictor, type AlignmentStats } from '../../suspects/aligned-predictor.js';
import { kneserNeySuspect } from '../../suspects/kneser-ney-suspect.js';
import type { SuspectModel } from '../../suspects/suspect-model.js';
import { referenceFromModel } from '../../radioactivity/reference-model.js';
import type { RadioactivityReport } from '../../radioactivity/report.js';
import { concatIds } from '../../base/token-ids.js';
import { MAX_CONTROLS, integerOption, numberOption, parseVerbArgs } from '../args.js';
import { formatLog10P } from '../format.js';
import { progressBar } from '../progress.js';
import { MODEL_FLAGS, MODEL_HELP, referenceModel } from '../reference-model.js';
import { UsageError } from '../usage-error.js';
import { checkEvidenceFlags, EVIDENCE_FLAGS, EVIDENCE_HELP, newControlSeed, writeEvidence } from '../evidence.js';
import { computeClosedRadioactivity, type ClosedInvocation } from '../evidence-runs.js';

/** The closed-mode test in words (evidence bundles). */
export const CLOSED_TEST_DESCRIPTION =
  'closed-model radioactivity: the suspect completions are pooled on one global tape; each distinct (window, token) tuple outside prompt windows (and inside the filter, if any) is scored once; exact tail of the statistic under H0 (binomial for kgw and synthid, Gamma for gumbel), Holm over the tested keys; wrong keys derived from a public seed as controls.';

export const RADIOACTIVITY_HELP = `Usage: radiomark radioactivity --key KEY [--key KEY2 ...] [FILE | -] [options]
       radiomark radioactivity --key KEY --open TEXTS --model MODEL [--model-tokenizer NAME|tokenizer.json] [options]

Tests whether a suspect model inherited the watermark of KEY (was trained on its outputs).
H0: the suspect's tokens are independent of key K.

Closed model (default): FILE (or stdin) is JSONL, one {"prompt": ..., "completion": ...}
per line of the suspect's outputs. All completions are pooled on one global tape; each
distinct (window, token) tuple is scored once (exact test: binomial for kgw and synthid,
Gamma tail for gumbel; reading mode is kgw only); windows occurring in
any prompt are never scored (a first pass reads all prompts; on stdin, which is read once,
the rule is "own or earlier prompt"). Files are streamed line by line.

Open model (--open): the watermarked TEXTS (text, or JSONL with "text"/"completion") are
read through the suspect model; at each window's first occurrence its top-k next-token
distribution is scored: green probability mass (verdict; proven p-value bound) and
top-1 green (exact binomial, reported). The suspect may use any tokenizer: it reads the
text before each position in its own tokens, and its candidates are mapped to the key's
tokens (docs/RADIOACTIVITY.md, "Suspects with another tokenizer").
With --reference R, the verdict scores the suspect's
excess over a clean reference model, max(0, q - r) (same proven bound, far more power when
the texts read are not the suspect's training texts); R must never have been trained on
text watermarked with KEY (the provider's unwatermarked base model is the natural choice).

Options:
  --key FILE          key file; repeat to test several keys (Holm-corrected)
  --filter FILE       closed mode: score only windows of the provider's watermarked outputs
                      (text/JSONL, or a ledger from radiomark ledger), fixed before reading
  --controls N        wrong keys scored beside the real one, 0..1000 (default 20; 0 for none)
  --alpha A           significance level of the verdict (default 1e-6)
  --skip-bad-lines    skip (and report) bad JSONL lines instead of failing
  --single-pass       closed mode: one pass, each line's prompt registered before it
  --open FILE         open mode: watermarked texts to read through the suspect
  --model M           open mode: the suspect: "reference" (embedded model), a .rmkn file, an
                      ONNX causal LM (.onnx file, or a transformers.js folder with config.json,
                      tokenizer.json and onnx/model.onnx; needs onnxruntime-node) or a .gguf
                      file (needs node-llama-cpp)
  --model-tokenizer T the .onnx model's tokenizer: a tiktoken name (cl100k_base, r50k_base, ...)
                      or a tokenizer.json file (needs @huggingface/transformers)
  --model-context N   tokens per forward pass of an ONNX model that does not state it
  --top-k K           open mode: probabilities kept per position, 1..4096 (default 32)
  --reference R       open mode: clean reference model, "reference" or a .rmkn file
${EVIDENCE_HELP}
${MODEL_HELP}
  --json              print the report as JSON
  -h, --help          show this help

Exit code 0 whatever the verdict; 2 for bad usage or input.`;

/** `radiomark radioactivity`. */
export async function radioactivity(argv: string[], out: (s: string) => void): Promise<void> {
  const { values, positionals } = parseVerbArgs('radioactivity', argv, {
    key: { type: 'string', multiple: true },
    filter: { type: 'string' },
    controls: { type: 'string' },
    alpha: { type: 'string' },
    'skip-bad-lines': { type: 'boolean' },
    'single-pass': { type: 'boolean' },
    open: { type: 'string' },
    model: { type: 'string' },
    'top-k': { type: 'string' },
    'model-tokenizer': { type: 'string' },
    'model-context': { type: 'string' },
    reference: { type: 'string' },
    ...MODEL_FLAGS,
    ...EVIDENCE_FLAGS,
  });
  if (values.help) return out(RADIOACTIVITY_HELP);
  if (!values.key || values.key.length === 0) throw new UsageError('--key is required (see radiomark radioactivity --help)');
  if (positionals.length > 1) throw new UsageError('give at most one input file');
  const alpha = numberOption('alpha', values.alpha, (x) => x > 0 && x < 1) ?? DEFAULT_ALPHA;
  const controlCount = integerOption('controls', values.controls, 0, MAX_CONTROLS) ?? 20;
  const keys = await Promise.all(values.key.map((path) => loadKey(path, { warn })));
  const controls = Array.from({ length: controlCount }, () => generateKey(keys[0]!.params));
  const { tokenizer } = keys[0]!.params;

  if (values.open !== undefined) {
    if (values.evidence !== undefined) throw new UsageError('--evidence covers the closed mode for now (not --open)');
    if (positionals.length > 0 || values.filter) throw new UsageError('--open reads watermarked texts: give no FILE and no --filter');
    if (values.model === undefined) throw new UsageError('--open needs --model (reference, .rmkn, .onnx, a model folder or .gguf)');
    const topK = integerOption('top-k', values['top-k'], 1, 4096) ?? 32;
    const report = await readOpen(values.open, values.model, keys, { controls, alpha, topK, tokenizer, values });
    if (values.json) return out(JSON.stringify({ ...report.greenMass, argmax: report.argmax }));
    out(formatReport(report.greenMass));
    out(
      `  argmax (top-1 green, exact binomial, not the verdict): ${report.argmax.green} of ${report.argmax.scored} green, log10 p = ${report.argmax.log10PValue.toFixed(2)}`,
    );
    return;
  }

  if (
    values.model !== undefined ||
    values['top-k'] !== undefined ||
    values.reference !== undefined ||
    values['model-tokenizer'] !== undefined ||
    values['model-context'] !== undefined
  )
    throw new UsageError('--model, --model-tokenizer, --model-context, --top-k and --reference need --open');
  const path = positionals[0] ?? '-';
  const evidence = checkEvidenceFlags(values, [path]);
  const inv: ClosedInvocation = {
    mode: 'closed',
    alpha,
    controls: controlCount,
    controlSeed: newControlSeed(),
    promptRule: values['single-pass'] || path === '-' ? 'earlier' : 'all',
    skipBadLines: values['skip-bad-lines'] === true,
    filter: values.filter !== undefined,
  };
  const paths = values.filter === undefined ? [path] : [path, values.filter];
  const bar = progressBar('scoring');
  const report = await computeClosedRadioactivity(inv, paths, keys, (n) => bar.update(n, n));
  bar.done();
  if (evidence) {
    await writeEvidence(
      values.evidence!,
      {
        command: 'radioactivity',
        keys,
        invocation: { ...inv },
        inputs: paths.map((p, i) => ({ role: i === 0 ? 'suspect' : 'filter', path: p })),
        test: { description: CLOSED_TEST_DESCRIPTION, nullHypothesis: report.nullHypothesis },
        result: report,
      },
      values.sign,
    );
  }
  if (values.json) return out(JSON.stringify(report));
  out(formatReport(report));
  out(`  ${report.records} records; ${report.promptExcluded} positions in prompt windows, ${report.filteredOut} outside the filter`);
  if (evidence) out(`  evidence bundle: ${values.evidence}${values.sign ? ' (signed)' : ''}`);
}

interface OpenOptions {
  controls: WatermarkKey[];
  alpha: number;
  topK: number;
  tokenizer: string;
  values: Record<string, unknown>;
}

// Reading mode: the texts through the suspect, whatever its tokenizer (identity alignment
// when it shares the key's).
async function readOpen(texts: string, spec: string, keys: WatermarkKey[], o: OpenOptions): Promise<ReadingModeReport> {
  const provider = getTokenizer(o.tokenizer);
  const modelTokenizer = o.values['model-tokenizer'] as string | undefined;
  const contextLength = integerOption('model-context', o.values['model-context'] as string | undefined, 1);
  if (spec === 'reference' && (modelTokenizer !== undefined || contextLength !== undefined)) {
    throw new UsageError('--model-tokenizer and --model-context are for ONNX models');
  }
  let tokensRun = 0;
  const suspect =
    spec === 'reference'
      ? kneserNeySuspect((await referenceModel(o.values)).model, provider, 'reference')
      : await loadSuspectModel(spec, { providerTokenizer: o.tokenizer, modelTokenizer, contextLength, onForward: (n) => (tokensRun += n) });
  try {
    const stats: AlignmentStats = { identity: false, positions: 0, insideCharacter: 0, noCandidate: 0, suspectTokens: 0 };
    const predict = alignedPredictor(suspect, provider, stats);
    const cleanModel = o.values.reference as string | undefined;
    const reference = cleanModel === undefined ? undefined : referenceFromModel(await ngramModel(cleanModel, o.values, provider.name));
    const test = new ReadingModeTest(undefined, keys, { controls: o.controls, alpha: o.alpha, topK: o.topK, reference });
    const bar = progressBar('reading');
    const skipBadLines = o.values['skip-bad-lines'] as boolean | undefined;
    for await (const r of readTokenized(texts, ['text', 'completion'], { tokenizer: o.tokenizer, skipBadLines })) {
      await test.readTextBatched(concatIds(r.prompt, r.text), r.prompt.length, predict);
      bar.update(r.line, r.line);
    }
    bar.done();
    const report = test.result();
    const note = suspectNote(suspect, stats, test.unpredicted, tokensRun);
    report.greenMass.notes.push(note);
    report.argmax.notes.push(note);
    return report;
  } finally {
    await suspect.close?.();
  }
}

// A Kneser-Ney model over the key's tokenizer: the embedded one or a .rmkn file.
async function ngramModel(spec: string, values: Record<string, unknown>, tokenizer: string): Promise<KneserNeyModel> {
  if (spec === 'reference') return (await referenceModel(values)).model;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(spec);
  } catch {
    throw new RadiomarkError('INPUT_FORMAT', `cannot read model file ${spec}`);
  }
  const { model, info } = deserializeModel(bytes);
  if (info.tokenizer !== tokenizer)
    throw new RadiomarkError('VOCAB_MISMATCH', `${spec}: a model over ${info.tokenizer}, the key uses ${tokenizer}`);
  return model;
}

function suspectNote(suspect: SuspectModel, s: AlignmentStats, unpredicted: number, tokensRun: number): string {
  const what = `suspect ${suspect.name} (tokenizer ${suspect.tokenizer.name}${Number.isFinite(suspect.contextLength) ? `, context ${suspect.contextLength}` : ''})`;
  if (s.identity) return `${what}: same tokenizer as the key, read as is`;
  return (
    `${what}: read in its own tokens (${s.suspectTokens} tokens${tokensRun > 0 ? `, ${tokensRun} through forward passes` : ''}), ` +
    `candidates mapped to the key's tokenizer; ${unpredicted} first-occurrence positions unscored ` +
    `(${s.insideCharacter} inside a character, ${s.noCandidate} without a text candidate)`
  );
}

/** Human summary of a radioactivity report. */
export function formatReport(r: RadioactivityReport): string {
  const verdict =
    r.scored === 0 ? 'nothing scored: no evidence either way' : `${r.radioactive ? 'RADIOACTIVE' : 'not radioactive'} at alpha ${r.alpha}`;
  const lines = [
    `${verdict} (${r.mode} model, ${r.statistic} statistic)`,
    `  ${r.nullHypothesis}`,
    r.statistic === 'binomial' || r.statistic === 'argmax' || r.statistic === 'green-mass'
      ? `  tokens read ${r.tokens}, scored ${r.scored}, green ${formatGreen(r.green)} (expected ${formatGreen(r.keys[0]!.expected)} under H0, gamma ${r.gamma.toFixed(4)})`
      : `  tokens read ${r.tokens}, scored ${r.scored}, statistic ${formatGreen(r.green)} (expected ${formatGreen(r.keys[0]!.expected)} under H0)`,
    `  p = ${formatLog10P(r.log10PValue)} (log10 p = ${r.log10PValue.toFixed(2)}${r.keys.length > 1 ? `, Holm over ${r.keys.length} keys` : ''})${r.verdictBasis === 'proven' ? ' (exact binomial: no proof with a filter, not the verdict)' : ''}`,
  ];
  if (r.proven)
    lines.push(
      `  proven (betting martingale) p = ${formatLog10P(r.proven.log10PValue)} (log10 p = ${r.proven.log10PValue.toFixed(2)})${r.verdictBasis === 'proven' ? ': the verdict' : ''}`,
    );
  if (r.keys.length > 1)
    for (const k of r.keys)
      lines.push(`    key ${k.keyId}: raw log10 p ${k.log10PValue.toFixed(2)}, adjusted ${k.adjustedLog10PValue.toFixed(2)}`);
  const c = r.controls;
  if (c) {
    const sorted = [...c.log10PValues].sort((a, b) => a - b);
    lines.push(
      `  controls: ${c.count} wrong keys, ${c.rejected} reach alpha; smallest log10 p ${sorted[0]!.toFixed(2)}, median ${sorted[sorted.length >> 1]!.toFixed(2)}; ${c.ks.skipped ? `no KS test (${c.ks.skipped})` : `KS uniformity (${c.ks.ksOf}) p = ${c.ks.pValue.toPrecision(3)}`}`,
    );
  }
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

function formatGreen(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}
