import { generateText } from '../../generate.js';
import { loadKey } from '../../node/key-store.js';
import { getTokenizer } from '../../tokenizer.js';
import { createWatermark } from '../../watermark.js';
import { integerOption, parseVerbArgs, required } from '../args.js';
import { MODEL_FLAGS, MODEL_HELP, referenceModel } from '../reference-model.js';
import { SAMPLING_FLAGS, SAMPLING_HELP, samplingOptions } from '../sampling-options.js';

export const GENERATE_HELP = `Usage: radiomark generate --key KEY [--prompt TEXT] [options]

Streams a continuation of TEXT from the embedded reference model to stdout, watermarked
with KEY (unless --no-watermark).

Options:
  --key FILE         key file (from radiomark keygen)
  --prompt TEXT      text to continue (default: "The")
  --tokens N         tokens to generate (default 200)
  --no-watermark     generate without the watermark (for comparison)
${SAMPLING_HELP}
${MODEL_HELP}
  --json             print {prompt, completion, tokens, keyId, watermarked} as JSON at the end
  -h, --help         show this help`;

/** `radiomark generate`. */
export async function generate(argv: string[], out: (s: string) => void): Promise<void> {
  const { values } = parseVerbArgs('generate', argv, {
    key: { type: 'string' },
    prompt: { type: 'string' },
    tokens: { type: 'string' },
    'no-watermark': { type: 'boolean' },
    ...SAMPLING_FLAGS,
    ...MODEL_FLAGS,
  });
  if (values.help) return out(GENERATE_HELP);
  const key = await loadKey(required('key', values.key, 'generate'));
  const maxTokens = integerOption('tokens', values.tokens, 0) ?? 200;
  const sampling = samplingOptions(values);
  const prompt = values.prompt && values.prompt.length > 0 ? values.prompt : 'The';
  const { model } = await referenceModel(values);
  const watermarked = !values['no-watermark'];
  const watermark = watermarked ? createWatermark(key, { vocabSize: model.vocabSize }) : null;
  const tokenizer = getTokenizer(key.params.tokenizer);
  const stream = generateText(model, tokenizer, prompt, { ...sampling, maxTokens, watermark });
  let completion = '';
  for await (const chunk of stream) {
    completion += chunk;
    if (!values.json) process.stdout.write(chunk);
  }
  if (values.json) {
    out(JSON.stringify({ prompt, completion, tokens: tokenizer.encode(completion).length, keyId: key.id, watermarked }));
  } else out('');
}
