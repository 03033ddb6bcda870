import { integerOption, numberOption, parseVerbArgs, required } from '../args.js';
import { progressBar } from '../progress.js';
import { UsageError } from '../usage-error.js';

export const PROBE_HELP = `Usage: radiomark probe --base-url URL --model NAME --prompts PROMPTS.jsonl --out ANSWERS.jsonl [options]

Collects a suspect model's answers through its OpenAI-compatible API (official openai
client): each prompt is sent as one user message to URL/chat/completions and the answer is
appended to ANSWERS.jsonl as {"prompt", "completion"}, the input of radiomark radioactivity.
Rerun the same command after an interruption: answered prompts are skipped, no line is
written twice. 429, 5xx and connection errors are retried with exponential backoff.

The API key is read from the environment (OPENAI_API_KEY, or the variable named by
--api-key-env), never from the command line; it is never printed or written.

Options:
  --base-url URL       API base URL, e.g. https://api.example.com/v1
  --model NAME         model to ask for
  --prompts FILE       JSONL, one {"prompt": "..."} per line
  --out FILE           answers file (appended to; created if missing)
  --max-tokens N       max_tokens of each request (default: the server's)
  --temperature T      sampling temperature (default: the server's)
  --concurrency N      requests in flight (default 4)
  --retries N          retries per request (default 6)
  --endpoint E         chat (default) or completions (the prompt sent as is)
  --api-key-env NAME   environment variable holding the API key (default OPENAI_API_KEY)
  --json               print a JSON summary
  -h, --help           show this help

Example:
  OPENAI_API_KEY=... radiomark probe --base-url https://suspect.example/v1 --model their-model \\
    --prompts prompts.jsonl --out answers.jsonl --max-tokens 200
  radiomark radioactivity --key provider.key answers.jsonl`;

/** `radiomark probe`. */
export async function probe(argv: string[], out: (s: string) => void): Promise<void> {
  const { values } = parseVerbArgs('probe', argv, {
    'base-url': { type: 'string' },
    model: { type: 'string' },
    prompts: { type: 'string' },
    out: { type: 'string' },
    'max-tokens': { type: 'string' },
    temperature: { type: 'string' },
    concurrency: { type: 'string' },
    retries: { type: 'string' },
    endpoint: { type: 'string' },
    'api-key-env': { type: 'string' },
  });
  if (values.help) return out(PROBE_HELP);
  const baseURL = required('base-url', values['base-url'], 'probe');
  const model = required('model', values.model, 'probe');
  const promptsPath = required('prompts', values.prompts, 'probe');
  const outPath = required('out', values.out, 'probe');
  const endpoint = values.endpoint ?? 'chat';
  if (endpoint !== 'chat' && endpoint !== 'completions') throw new UsageError(`--endpoint must be chat or completions (got "${endpoint}")`);
  const envName = values['api-key-env'] ?? 'OPENAI_API_KEY';
  const apiKey = process.env[envName];
  if (!apiKey) throw new UsageError(`no API key: set the environment variable ${envName}`);
  // The openai client is loaded only by this verb, so other verbs start fast.
  const { runProbe } = await import('../../serve/probe.js');
  const bar = progressBar('probing');
  const summary = await runProbe({
    baseURL,
    model,
    apiKey,
    promptsPath,
    outPath,
    endpoint,
    maxTokens: integerOption('max-tokens', values['max-tokens'], 1),
    temperature: numberOption('temperature', values.temperature, (x) => x >= 0 && x <= 2),
    concurrency: integerOption('concurrency', values.concurrency, 1),
    maxRetries: integerOption('retries', values.retries, 0),
    onProgress: (done, total) => bar.update(done, total),
  }).finally(() => bar.done());
  if (values.json) return out(JSON.stringify({ ...summary, out: outPath }));
  const resumed = summary.resumed > 0 ? ` (${summary.resumed} already there from an earlier run)` : '';
  out(`${summary.written} answer(s) written to ${outPath}${resumed}; ${summary.prompts} prompt(s) in all`);
}
