import { warn } from '../progress.js';
import { RadiomarkError } from '../../base/errors.js';
import { loadKey } from '../../node/key-store.js';
import type { SpanDetectionResult } from '../../watermark/watermark.js';
import type { Dedup } from '../../detect/score-tape.js';
import { numberOption, parseVerbArgs, required } from '../args.js';
import { formatDetection } from '../format.js';
import { checkEvidenceFlags, EVIDENCE_FLAGS, EVIDENCE_HELP, writeEvidence } from '../evidence.js';
import { computeDetect, type DetectInvocation } from '../evidence-runs.js';

/** The detection test in words (evidence bundles). */
export const DETECT_TEST_DESCRIPTION =
  'watermark detection: each distinct (window, token) tuple of the text outside prompt windows is scored once; exact tail of the statistic under H0 (binomial for kgw and synthid, Gamma for gumbel).';

export const DETECT_HELP = `Usage: radiomark detect --key KEY [FILE | -] [options]

Tests text for the watermark of KEY with an exact binomial test. FILE (or standard input
for - or no FILE) is plain text, or JSONL with a "text" field per line (and an optional
"prompt" field) when it ends in .jsonl or with --jsonl.

H0: the text was written independently of the key. The p-value is exact: each distinct
(window, token) tuple is scored once, and windows that occur in the prompt are not scored.

Options:
  --key FILE         key file (from radiomark keygen)
  --alpha A          significance level of the verdict (default 1e-6)
  --prompt TEXT      the prompt the text answers (its windows are not scored)
  --prompt-file F    read the prompt from a file
  --dedup MODE       tuple (default, exact) | window (exact) | none (not exact)
  --span             also scan for the most significant span (p corrected for spans scanned)
  --jsonl            read JSONL even if FILE does not end in .jsonl
${EVIDENCE_HELP}
  --json             print the result as JSON (one object per line for JSONL)
  -h, --help         show this help

Exit code 0 whatever the verdict; 2 for bad usage or input.`;

/** `radiomark detect`. */
export async function detect(argv: string[], out: (s: string) => void): Promise<void> {
  const { values, positionals } = parseVerbArgs('detect', argv, {
    key: { type: 'string' },
    alpha: { type: 'string' },
    prompt: { type: 'string' },
    'prompt-file': { type: 'string' },
    dedup: { type: 'string' },
    span: { type: 'boolean' },
    jsonl: { type: 'boolean' },
    ...EVIDENCE_FLAGS,
  });
  if (values.help) return out(DETECT_HELP);
  if (positionals.length > 1) throw new RadiomarkError('INVALID_ARGUMENT', 'give at most one input file');
  const key = await loadKey(required('key', values.key, 'detect'), { warn });
  const file = positionals[0];
  const promptFile = values['prompt-file'];
  const evidence = checkEvidenceFlags(values, promptFile === undefined ? [file] : [file, promptFile]);
  const inv: DetectInvocation = {
    alpha: numberOption('alpha', values.alpha),
    dedup: values.dedup as Dedup | undefined,
    prompt: promptFile === undefined ? values.prompt : undefined,
    promptFile: promptFile !== undefined,
    span: values.span === true,
    jsonl: values.jsonl === true || file?.endsWith('.jsonl') === true,
  };
  const { single, detections } = await computeDetect(inv, [file, promptFile], key);
  if (evidence) {
    await writeEvidence(
      values.evidence!,
      {
        command: 'detect',
        keys: [key],
        invocation: { ...inv },
        inputs: [{ role: 'text', path: file! }, ...(promptFile === undefined ? [] : [{ role: 'prompt', path: promptFile }])],
        test: { description: DETECT_TEST_DESCRIPTION, nullHypothesis: (single ?? detections?.[0])?.nullHypothesis ?? '' },
        result: single ?? { detections },
      },
      values.sign,
    );
  }
  if (detections) {
    for (const d of detections) out(values.json ? JSON.stringify(d) : formatDetection(d, `line ${d.line}`));
    return;
  }
  const result = single!;
  if (values.json) return out(JSON.stringify(result));
  out(formatDetection(result));
  if ('span' in result) {
    const s = (result as SpanDetectionResult).span;
    out(
      `  best span: tokens ${s.start}..${s.end} (${s.scored} scored, score ${Number(s.score.toFixed(2))}), corrected log10 p = ${s.log10PValue.toFixed(2)} over ${s.windowsScanned} spans`,
    );
  }
  out(`  ${result.nullHypothesis}`);
}
