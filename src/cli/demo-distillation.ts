import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDistillation, type PromptedText } from '../demo/distillation.js';
import { checkSignature } from '../evidence/bundle.js';
import { checkConsistency } from '../evidence/consistency.js';
import { generateSigningKey } from '../evidence/signing-key.js';
import { signBundle } from '../evidence/bundle.js';
import type { WatermarkKey } from '../key/key.js';
import type { Tokenizer } from '../key/tokenizer.js';
import type { KneserNeyModel } from '../model/kneser-ney-model.js';
import { corpusTokenStreams } from '../node/corpora.js';
import { heldOutPrompts } from '../node/heldout-prompts.js';
import { writeFileAtomic } from '../node/atomic-write.js';
import type { RadioactivityReport } from '../radioactivity/report.js';
import { createWatermark } from '../watermark/watermark.js';
import { reproduceBundle } from './commands/verify.js';
import { CLOSED_TEST_DESCRIPTION } from './commands/radioactivity.js';
import { newControlSeed, writeEvidence } from './evidence.js';
import { computeClosedRadioactivity, type ClosedInvocation } from './evidence-runs.js';

/** Sizes of the demo's distillation: small enough for the demo's time budget, large enough to convict. */
const SIZES = { humanChars: 600_000, teacherTokens: 120_000, suspectTokens: 60_000, prompts: 600, controls: 20 };

/** One student's verdict, as `demo --json` prints it. */
export interface StudentVerdict {
  /** The verdict's log10 p-value (the proven betting p-value: the test is filtered). */
  log10PValue: number;
  /** The exact binomial of the same counts, reported beside (no proof with a filter). */
  exactLog10PValue: number;
  scored: number;
  green: number;
  radioactive: boolean;
  controls: { count: number; rejected: number; smallestLog10PValue: number };
}

/** The demo's distillation story: verdicts on both students and the evidence bundle's check. */
export interface DemoDistillation {
  guilty: StudentVerdict;
  clean: StudentVerdict;
  alpha: number;
  nullHypothesis: string;
  evidence: { directory: string; bundle: string; signedBy: string; verified: 'reproduced' };
  seconds: number;
}

/**
 * Distils the reference model into two students (one on watermarked outputs, one on
 * unwatermarked ones), runs the filtered closed-mode test with controls on each student's
 * answers from files, writes a signed evidence bundle for the guilty one and verifies it
 * (signature, consistency, and a bit-for-bit rerun with the key).
 */
export async function demoDistillation(
  key: WatermarkKey,
  teacher: KneserNeyModel,
  tokenizer: Tokenizer,
  alpha: number,
  directory?: string,
): Promise<DemoDistillation> {
  const start = performance.now();
  const dir = directory ?? (await mkdtemp(join(tmpdir(), 'radiomark-demo-')));
  await mkdir(dir, { recursive: true });
  const human = corpusTokenStreams({ maxChars: SIZES.humanChars, tokenizer: tokenizer.name });
  const prompts = heldOutPrompts({ count: SIZES.prompts, promptTokens: 16, seed: 7, tokenizer: tokenizer.name });
  const watermark = createWatermark(key, { vocabSize: teacher.vocabSize });
  const d = await runDistillation({
    teacher,
    watermark,
    human,
    prompts,
    teacherTokens: SIZES.teacherTokens,
    suspectTokens: SIZES.suspectTokens,
  });
  const files = {
    filter: join(dir, 'provider-outputs.jsonl'),
    guilty: join(dir, 'suspect-guilty.jsonl'),
    clean: join(dir, 'suspect-clean.jsonl'),
  };
  await writeJsonl(files.filter, d.watermarkedOutputs, tokenizer);
  await writeJsonl(files.guilty, d.guilty, tokenizer);
  await writeJsonl(files.clean, d.clean, tokenizer);
  const inv = (): ClosedInvocation => ({
    mode: 'closed',
    alpha,
    controls: SIZES.controls,
    controlSeed: newControlSeed(),
    promptRule: 'all',
    skipBadLines: false,
    filter: true,
  });
  const guiltyInv = inv();
  const guilty = await computeClosedRadioactivity(guiltyInv, [files.guilty, files.filter], [key]);
  const clean = await computeClosedRadioactivity(inv(), [files.clean, files.filter], [key]);
  const bundlePath = join(dir, 'guilty.evidence.json');
  const parts = {
    command: 'radioactivity' as const,
    keys: [key],
    invocation: { ...guiltyInv },
    inputs: [
      { role: 'suspect', path: files.guilty },
      { role: 'filter', path: files.filter },
    ],
    test: { description: CLOSED_TEST_DESCRIPTION, nullHypothesis: guilty.nullHypothesis },
    result: guilty,
  };
  const signer = generateSigningKey();
  const bundle = signBundle(await writeEvidence(bundlePath, parts), signer);
  await writeFileAtomic(bundlePath, `${JSON.stringify(bundle, null, 2)}\n`, { label: 'evidence bundle' });
  // The same checks as radiomark verify: anyone's (signature, numbers), then the key holder's.
  checkSignature(bundle);
  checkConsistency(bundle);
  await reproduceBundle(bundle, [key], [files.guilty, files.filter]);
  return {
    guilty: verdict(guilty),
    clean: verdict(clean),
    alpha,
    nullHypothesis: guilty.nullHypothesis,
    evidence: { directory: dir, bundle: bundlePath, signedBy: signer.publicKey, verified: 'reproduced' },
    seconds: (performance.now() - start) / 1000,
  };
}

function verdict(r: RadioactivityReport): StudentVerdict {
  const c = r.controls;
  return {
    log10PValue: r.verdictBasis === 'proven' ? r.proven!.log10PValue : r.log10PValue,
    exactLog10PValue: r.log10PValue,
    scored: r.scored,
    green: r.green,
    radioactive: r.radioactive,
    controls: { count: c?.count ?? 0, rejected: c?.rejected ?? 0, smallestLog10PValue: c ? Math.min(...c.log10PValues) : 0 },
  };
}

async function writeJsonl(path: string, docs: PromptedText[], tokenizer: Tokenizer): Promise<void> {
  const lines = docs.map((x) => JSON.stringify({ prompt: tokenizer.decode(x.prompt), completion: tokenizer.decode(x.text) }));
  await writeFile(path, `${lines.join('\n')}\n`);
}
