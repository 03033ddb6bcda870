import { warn } from '../progress.js';
import type { WatermarkKey } from '../../key/key.js';
import { withFileLock } from '../../node/file-lock.js';
import { loadKey } from '../../node/key-store.js';
import { ApiKeys } from '../../serve/api-keys.js';
import { referenceServeModel } from '../../serve/reference-serve-model.js';
import { ServedLedger } from '../../serve/served-ledger.js';
import type { ServeModel } from '../../serve/serve-model.js';
import { WatermarkPool } from '../../serve/watermark-pool.js';
import { checkAccountKey } from '../account-options.js';
import { integerOption, numberOption, parseVerbArgs, required } from '../args.js';
import { MODEL_FLAGS, MODEL_HELP, referenceModel } from '../reference-model.js';
import { UsageError } from '../usage-error.js';

export const SERVE_HELP = `Usage: radiomark serve --key KEY --accounts ACCOUNTS.json [--ledger OWNERS] [options]

An OpenAI-compatible server (GET /v1/models, POST /v1/chat/completions, POST /v1/completions,
plain or streamed with "stream": true) whose every answer is watermarked with KEY and
carries the caller's account id (radiomark attribute decodes it).

Accounts: ACCOUNTS.json is a JSON array of {"account": <uint32>, "apiKeySha256": "<hex>"},
the SHA-256 of each API key (the file never holds a key). A request's bearer token is hashed
and compared in constant time; a missing or unknown key gets 401.

Ledger: with --ledger, every answer (prompt in front) is recorded in that account ledger.
Answers are appended to OWNERS.journal and fdatasync'ed before the response completes (the
JSON body, or the last chunk and data: [DONE]); answers finishing together share one sync.
A crash (even kill -9) can only lose answers whose response had not completed. The journal is
folded into OWNERS (atomic replace) every --checkpoint-every answers, on shutdown, and at the
next start after a crash. radiomark ledger info OWNERS reads it (and the journal) at any time.

Chat messages become the prompt "System: ...\\nUser: ...\\nAssistant:" (one "Role: content"
line per message, then "Assistant:"), see README.

Options:
  --key FILE            watermark key (from radiomark keygen; kgw with lefthash or minhash
                        seeding to carry account ids)
  --accounts FILE       API keys (SHA-256) and their account ids
  --ledger FILE         account ledger to record every answer in (created if missing)
  --model M             "reference" (embedded model, default) or a GGUF file (node-llama-cpp)
  --host HOST           interface to bind (default 127.0.0.1)
  --port N              port (default 8000; 0 picks a free one)
  --no-watermark        serve unwatermarked answers (a baseline; needs no --key)
  --account-delta X     logit bias of the account's token sets (default: the key's delta)
  --max-tokens N        largest max_tokens a request may ask for (default 4096)
  --default-max-tokens N  max_tokens of requests that give none (default 256)
  --concurrency N       generations running at once (default 4)
  --queue N             requests waiting for a slot before 429 (default 256)
  --body-limit BYTES    largest request body (default 1048576)
  --checkpoint-every N  fold the journal into the ledger every N answers (default 10000)
  --threads N           GGUF models: CPU threads (default 1)
${MODEL_HELP}
  -h, --help            show this help

Prints one line "listening on http://HOST:PORT" when ready. SIGTERM or SIGINT: stops
accepting, finishes the answers in progress, folds the journal, exits 0.`;

const FLAGS = {
  key: { type: 'string' },
  accounts: { type: 'string' },
  ledger: { type: 'string' },
  model: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'no-watermark': { type: 'boolean' },
  'account-delta': { type: 'string' },
  'max-tokens': { type: 'string' },
  'default-max-tokens': { type: 'string' },
  concurrency: { type: 'string' },
  queue: { type: 'string' },
  'body-limit': { type: 'string' },
  'checkpoint-every': { type: 'string' },
  threads: { type: 'string' },
  ...MODEL_FLAGS,
} as const;

/** `radiomark serve`: runs until SIGTERM or SIGINT. */
export async function serve(argv: string[], out: (s: string) => void): Promise<void> {
  const { values } = parseVerbArgs('serve', argv, FLAGS);
  if (values.help) return out(SERVE_HELP);
  const watermarked = !values['no-watermark'];
  if (watermarked && values.key === undefined) throw new UsageError('--key is required (or --no-watermark for a baseline)');
  if (values.ledger !== undefined && values.key === undefined) throw new UsageError('--ledger needs --key (its window and tokenizer)');
  const key = values.key === undefined ? undefined : await loadKey(values.key, { warn });
  if (key && watermarked) checkAccountKey(key);
  const accountDelta = numberOption('account-delta', values['account-delta'], (x) => x >= 0 && x <= 100);
  const limits = {
    maxTokensCap: integerOption('max-tokens', values['max-tokens'], 1) ?? 4096,
    defaultMaxTokens: integerOption('default-max-tokens', values['default-max-tokens'], 1),
    concurrency: integerOption('concurrency', values.concurrency, 1) ?? 4,
    queue: integerOption('queue', values.queue, 0),
    bodyLimit: integerOption('body-limit', values['body-limit'], 1),
  };
  const port = integerOption('port', values.port, 0) ?? 8000;
  if (port > 65535) throw new UsageError(`--port: invalid value "${values.port}"`);
  const checkpointEvery = integerOption('checkpoint-every', values['checkpoint-every'], 1);
  const apiKeys = await ApiKeys.load(required('accounts', values.accounts, 'serve'));
  const model = await loadServeModel(values, key, limits.concurrency);
  const run = async () => {
    const ledger = key && values.ledger !== undefined ? await openLedger(values.ledger, key, model, checkpointEvery) : null;
    const watermarks = key && watermarked ? new WatermarkPool(key, model.vocabSize, accountDelta) : null;
    // Fastify is loaded only by this verb, so other verbs start fast.
    const { createServeApp } = await import('../../serve/server.js');
    const app = createServeApp({ model, apiKeys, watermarks, ledger, limits });
    const stopped = waitForSignal();
    const host = values.host ?? '127.0.0.1';
    await app.listen({ host, port }).catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot listen on ${host}:${port}: ${e.code ?? e.message}`);
    });
    const address = app.server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    out(`listening on http://${host.includes(':') ? `[${host}]` : host}:${bound}`);
    await stopped;
    await app.close();
    await ledger?.close();
  };
  try {
    // The ledger stays locked while the server runs: radiomark ledger add/merge on the same
    // file wait for it (ledger info only reads, and needs no lock).
    if (values.ledger !== undefined) await withFileLock(values.ledger, run, { label: 'account ledger', waitMs: 2000 });
    else await run();
  } finally {
    await model.close();
  }
}

async function loadServeModel(values: Record<string, unknown>, key: WatermarkKey | undefined, sequences: number): Promise<ServeModel> {
  const spec = (values.model as string | undefined) ?? 'reference';
  if (spec === 'reference') {
    const tokenizer = key?.params.tokenizer ?? 'o200k_base';
    if (tokenizer !== 'o200k_base') throw new UsageError(`the reference model reads o200k_base ids; the key uses ${tokenizer}`);
    return referenceServeModel((await referenceModel(values)).model, tokenizer);
  }
  if (!spec.endsWith('.gguf')) throw new UsageError(`--model must be "reference" or a .gguf file (got "${spec}")`);
  const threads = integerOption('threads', values.threads as string | undefined, 1) ?? 1;
  // node-llama-cpp is an optional peer dependency: loaded only for GGUF models.
  const { openGgufServeModel } = await import('../../serve/gguf-serve-model.js');
  return openGgufServeModel(spec, { sequences, threads });
}

async function openLedger(path: string, key: WatermarkKey, model: ServeModel, checkpointEvery: number | undefined): Promise<ServedLedger> {
  const ledger = await ServedLedger.open(path, { window: key.params.window, tokenizer: model.tokenizer, checkpointEvery });
  const { recovered, tornTail } = ledger.recovery;
  if (recovered > 0 || tornTail) {
    process.stderr.write(
      `radiomark serve: folded ${recovered} answer(s) from the journal of an interrupted run into ${path}` +
        `${tornTail ? ' (a torn, never acknowledged record at its end was dropped)' : ''}\n`,
    );
  }
  return ledger;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
