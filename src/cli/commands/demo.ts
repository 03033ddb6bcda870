import { DEFAULT_ALPHA } from '../../stats/validate.js';
import { warn } from '../progress.js';
import { noPositionals } from '../args.js';
import { runDemoExperiment } from '../../demo/demo-experiment.js';
import { renderDemoReport } from '../../demo/html-report.js';
import { generateKey } from '../../key/key.js';
import { heldOutPrompts } from '../../node/heldout-prompts.js';
import { loadKey } from '../../node/key-store.js';
import { checkOutputPath, writeFileAtomic, type AtomicWriteOptions } from '../../node/atomic-write.js';
import { getTokenizer } from '../../key/tokenizer.js';
import { createWatermark } from '../../watermark/watermark.js';
import { integerOption, numberOption, parseVerbArgs } from '../args.js';
import { describeParams, formatLog10P } from '../format.js';
import { progressBar, status } from '../progress.js';
import { MODEL_FLAGS, MODEL_HELP, referenceModel } from '../reference-model.js';
import { UsageError } from '../usage-error.js';
import { demoDistillation, type DemoDistillation } from '../demo-distillation.js';
import { checkModelTokenizer } from './generate.js';
import { SAMPLING_FLAGS, SAMPLING_HELP, samplingOptions } from '../sampling-options.js';

export const DEMO_HELP = `Usage: radiomark demo [options]

Runs radiomark end to end on the embedded reference model: trains it (or loads it from the
cache), generates watermarked and unwatermarked continuations of held-out prompts, detects
all of them, prints the true- and false-positive rates and writes an HTML report.

Then the distillation story: two small students learn from the model's outputs, watermarked
for one (guilty) and not for the other (clean); the radioactivity test (closed mode, filtered
by the provider's outputs, 20 wrong-key controls) runs on each student's answers; a signed
evidence bundle is written for the guilty one and verified (signature, numbers, bit-for-bit
rerun with the key).

Options:
  --samples N        continuations per group, 1..10000 (default 50)
  --tokens N         tokens per continuation, 1..100000 (default 200)
  --alpha A          significance level (default 1e-6)
  --key FILE         key file to use (default: a fresh key, kept in memory only)
  --report FILE      HTML report path (default radiomark-demo.html, or radiomark-demo-N.html
                     when that exists); reveals green lists, so written with mode 0600.
                     An existing FILE is replaced only if it is a radiomark report
  --force            replace --report FILE whatever it holds
  --no-report        do not write the report
  --evidence-dir DIR where the distillation's files and evidence bundle go (default: a new
                     temporary directory)
  --no-distillation  skip the distillation story
${SAMPLING_HELP}
${MODEL_HELP}
  --json             print the summary as JSON
  -h, --help         show this help`;

/** `radiomark demo`. */
export async function demo(argv: string[], out: (s: string) => void): Promise<void> {
  const { values, positionals } = parseVerbArgs('demo', argv, {
    samples: { type: 'string' },
    tokens: { type: 'string' },
    alpha: { type: 'string' },
    key: { type: 'string' },
    report: { type: 'string' },
    'no-report': { type: 'boolean' },
    force: { type: 'boolean' },
    'evidence-dir': { type: 'string' },
    'no-distillation': { type: 'boolean' },
    ...SAMPLING_FLAGS,
    ...MODEL_FLAGS,
  });
  if (values.help) return out(DEMO_HELP);
  noPositionals('demo', positionals);
  const samples = integerOption('samples', values.samples, 1, 10_000) ?? 50;
  const tokensPerSample = integerOption('tokens', values.tokens, 1, 100_000) ?? 200;
  const alpha = numberOption('alpha', values.alpha, (x) => x > 0 && x < 1) ?? DEFAULT_ALPHA;
  const sampling = samplingOptions(values, 1);
  const key = values.key ? await loadKey(values.key, { warn }) : generateKey();
  checkModelTokenizer(key);
  // Checked before the minute of work, so a bad path fails at once.
  const reportOptions = demoReportOptions(values.force === true);
  const reportPath = values['no-report'] ? undefined : await reportTarget(values.report, reportOptions);
  const tokenizer = getTokenizer(key.params.tokenizer);
  const { model, seconds: modelSeconds } = await referenceModel(values);
  const prompts = heldOutPrompts({ count: samples, promptTokens: 32, seed: 1, tokenizer: tokenizer.name });
  const watermark = createWatermark(key, { vocabSize: model.vocabSize });
  status(`generating ${samples} watermarked and ${samples} unwatermarked continuations of ${tokensPerSample} tokens`, { phase: true });
  const bar = progressBar('generating');
  const { samples: results, summary } = await runDemoExperiment({
    model,
    tokenizer,
    watermark,
    prompts,
    tokensPerSample,
    alpha,
    sampling,
    seed: typeof sampling.rng === 'number' ? sampling.rng : 1,
    onProgress: (done, total) => bar.update(done, total),
  });
  bar.done();
  if (reportPath) {
    const html = renderDemoReport(results, { keyId: key.id, params: describeParams(key.params), summary, tokenizer });
    await writeFileAtomic(reportPath, html, reportOptions);
  }
  let distillation: DemoDistillation | null = null;
  if (!values['no-distillation']) {
    status('distillation: training a student on watermarked outputs and a clean student, then testing both');
    distillation = await demoDistillation(key, model, tokenizer, alpha, values['evidence-dir']);
  }
  const full = {
    ...summary,
    distillation,
    key: { id: key.id, params: key.params },
    model: { order: model.order, loadSeconds: modelSeconds },
    report: reportPath ?? null,
  };
  if (values.json) return out(JSON.stringify(full, null, 2));
  out(
    `radiomark demo: key ${key.id} (${describeParams(key.params)}), reference model order ${model.order} (ready in ${modelSeconds.toFixed(1)} s)`,
  );
  out(
    `  TPR ${summary.tpr.toFixed(3)} (${summary.samples.watermarked} watermarked), FPR ${summary.fpr.toFixed(3)} (${summary.samples.unwatermarked} unwatermarked) at alpha ${alpha}`,
  );
  out(
    `  median p: watermarked ${formatLog10P(summary.medianLog10P.watermarked)}, unwatermarked ${formatLog10P(summary.medianLog10P.unwatermarked)}`,
  );
  out(
    `  speed: generation ${summary.tokensPerSecond.generationWatermarked} tokens/s with the watermark, ${summary.tokensPerSecond.generationPlain} without; detection ${summary.tokensPerSecond.detection} tokens/s`,
  );
  if (reportPath) out(`  report: ${reportPath} (reveals green lists: for the key holder only)`);
  if (distillation) for (const line of formatDistillation(distillation)) out(line);
}

function formatDistillation(d: DemoDistillation): string[] {
  const line = (name: string, v: DemoDistillation['guilty']) =>
    `  ${name}: ${v.radioactive ? 'RADIOACTIVE' : 'not radioactive'}, p = ${formatLog10P(v.log10PValue)} (proven; exact binomial ${formatLog10P(v.exactLog10PValue)}), ${v.scored} tuples scored; controls: ${v.controls.rejected} of ${v.controls.count} wrong keys reach alpha`;
  return [
    `distillation (${d.seconds.toFixed(1)} s): ${d.nullHypothesis}`,
    line('student trained on watermarked outputs', d.guilty),
    line('student trained on unwatermarked outputs', d.clean),
    `  evidence: ${d.evidence.bundle} signed by ${d.evidence.signedBy.slice(0, 16)}..., verified: ${d.evidence.verified} (check it: radiomark verify ${d.evidence.bundle})`,
  ];
}

const REPORT_TITLE = '<title>radiomark demo report</title>';

function demoReportOptions(force: boolean): AtomicWriteOptions {
  const isReport = (head: Uint8Array) => new TextDecoder().decode(head).includes(REPORT_TITLE);
  return { private: true, replace: force ? 'any' : isReport, label: 'radiomark demo report' };
}

// An explicit --report may replace an earlier report; the default name never replaces anything.
async function reportTarget(explicit: string | undefined, options: AtomicWriteOptions): Promise<string> {
  if (explicit !== undefined) {
    await checkOutputPath(explicit, options);
    return explicit;
  }
  for (let n = 0; n < 1000; n++) {
    const path = n === 0 ? 'radiomark-demo.html' : `radiomark-demo-${n}.html`;
    try {
      await checkOutputPath(path, { ...options, replace: 'never' });
      return path;
    } catch (e) {
      if ((e as Error & { cause?: { code?: string } }).cause?.code !== 'EEXIST') throw e;
    }
  }
  throw new UsageError('radiomark-demo.html .. radiomark-demo-999.html all exist: give --report FILE or --no-report');
}
