import { warn } from '../progress.js';
import { noPositionals } from '../args.js';
import { generateText } from '../../watermark/generate.js';
import type { WatermarkKey } from '../../key/key.js';
import { loadKey } from '../../node/key-store.js';
import { getTokenizer } from '../../key/tokenizer.js';
import { createWatermark } from '../../watermark/watermark.js';
import { accountIdOption, checkAccountKey } from '../account-options.js';
import { integerOption, numberOption, parseVerbArgs, required } from '../args.js';
import { UsageError } from '../usage-error.js';
import { MODEL_FLAGS, MODEL_HELP, referenceModel } from '../reference-model.js';
import { SAMPLING_FLAGS, SAMPLING_HELP, samplingOptions } from '../sampling-options.js';

export const GENERATE_HELP = `Usage: radiomark generate --key KEY [--prompt TEXT] [options]

Streams a continuation of TEXT from the embedded reference model to stdout, watermarked
with KEY (unless --no-watermark). With --account, the text also carries that account id
(radiomark attribute finds it again); zero-bit detection under KEY is unchanged.

Options:
  --key FILE         key file (from radiomark keygen)
  --prompt TEXT      text to continue (default: "The")
  --tokens N         tokens to generate, 0..10000000 (default 200)
  --no-watermark     generate without the watermark (for comparison)
  --account ID       embed account ID (decimal, 0..4294967295; kgw keys with lefthash or
                     minhash seeding)
  --account-delta X  logit bias of the account's token sets, 0..100 (default: the key's delta)
${SAMPLING_HELP}
${MODEL_HELP}
  --json             print {prompt, completion, tokens, keyId, watermarked, account} as JSON at the end
  -h, --help         show this help`;

/** `radiomark generate`. */
export async function generate(argv: string[], out: (s: string) => void): Promise<void> {
  const { values, positionals } = parseVerbArgs('generate', argv, {
    key: { type: 'string' },
    prompt: { type: 'string' },
    tokens: { type: 'string' },
    'no-watermark': { type: 'boolean' },
    account: { type: 'string' },
    'account-delta': { type: 'string' },
    ...SAMPLING_FLAGS,
    ...MODEL_FLAGS,
  });
  if (values.help) return out(GENERATE_HELP);
  noPositionals('generate', positionals);
  const key = await loadKey(required('key', values.key, 'generate'), { warn });
  checkModelTokenizer(key);
  const account = accountOptions(values, key);
  const maxTokens = integerOption('tokens', values.tokens, 0, 10_000_000) ?? 200;
  const sampling = samplingOptions(values);
  const prompt = values.prompt && values.prompt.length > 0 ? values.prompt : 'The';
  const { model } = await referenceModel(values);
  const watermarked = !values['no-watermark'];
  const watermark = watermarked ? createWatermark(key, { vocabSize: model.vocabSize, ...account }) : null;
  const tokenizer = getTokenizer(key.params.tokenizer);
  const stream = generateText(model, tokenizer, prompt, { ...sampling, maxTokens, watermark });
  let completion = '';
  let chunks = 0;
  for await (const chunk of stream) {
    completion += chunk;
    if (values.json) continue;
    // A reader that went away (`| head`) ends the run: stop generating at once.
    if (process.stdout.destroyed) return;
    process.stdout.write(chunk);
    // Let pending I/O events (EPIPE, ENOSPC) run: the sampling loop alone never yields to them.
    if (++chunks % 32 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  if (values.json) {
    const tokens = tokenizer.encode(completion).length;
    out(JSON.stringify({ prompt, completion, tokens, keyId: key.id, watermarked, account: watermark?.account ?? null }));
  } else out('');
}

// Validated before the model loads, so that a bad id fails at once.
function accountOptions(values: Record<string, unknown>, key: WatermarkKey): { account?: number; accountDelta?: number } {
  const account = accountIdOption('account', values.account as string | undefined);
  const accountDelta = numberOption('account-delta', values['account-delta'] as string | undefined, (x) => x >= 0 && x <= 100);
  if (account === undefined) {
    if (accountDelta !== undefined) throw new UsageError('--account-delta needs --account');
    return {};
  }
  if (values['no-watermark']) throw new UsageError('--account needs the watermark: drop --no-watermark');
  checkAccountKey(key);
  return { account, accountDelta };
}

/**
 * The embedded reference model predicts o200k_base ids: a key of another tokenizer would
 * watermark ids that mean different text. Refused rather than printing garbage.
 */
export function checkModelTokenizer(key: WatermarkKey): void {
  if (key.params.tokenizer !== 'o200k_base') {
    throw new UsageError(
      `the embedded reference model speaks o200k_base token ids; this key uses ${key.params.tokenizer} (make an o200k_base key with radiomark keygen)`,
    );
  }
}
