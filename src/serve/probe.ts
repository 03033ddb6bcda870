import { open } from 'node:fs/promises';
import OpenAI from 'openai';
import { RadiomarkError } from '../base/errors.js';
import { describeFsError } from '../node/fs-errors.js';
import { readPrompts, remainingPrompts } from './probe-files.js';

/**
 * Options of {@link runProbe}.
 *
 * @example
 * ```ts
 * const options: ProbeOptions = { baseURL: 'http://127.0.0.1:8000/v1', model: 'reference', apiKey, promptsPath: 'p.jsonl', outPath: 'a.jsonl' };
 * ```
 */
export interface ProbeOptions {
  /** The suspect's OpenAI-compatible base URL, e.g. `https://api.example.com/v1`. */
  baseURL: string;
  /** Model name to ask for. */
  model: string;
  /** The API key (never printed, written or put in an error message). */
  apiKey: string;
  /** Prompts file (JSONL with "prompt"). */
  promptsPath: string;
  /** Answers file (JSONL `{"prompt", "completion"}`), appended to; an interrupted run resumes. */
  outPath: string;
  /** `max_tokens` of each request (default: the server's). */
  maxTokens?: number;
  /** Sampling temperature (default: the server's). */
  temperature?: number;
  /** `chat` (default: the prompt is one user message) or `completions` (a raw prompt). */
  endpoint?: 'chat' | 'completions';
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Retries per request on 429, 5xx and connection errors, with exponential backoff (default 6). */
  maxRetries?: number;
  /** Called after each answer is written. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * What {@link runProbe} did.
 *
 * @example
 * ```ts
 * const { written, resumed } = await runProbe(options);
 * ```
 */
export interface ProbeSummary {
  prompts: number;
  /** Answers already in the file from an earlier run. */
  resumed: number;
  /** Answers written by this run. */
  written: number;
}

/**
 * Asks a suspect endpoint every prompt with the official `openai` client and appends one
 * `{"prompt", "completion"}` line per answer, which `radiomark radioactivity` reads as is.
 * The client retries 429, 5xx and connection errors with exponential backoff (honouring
 * `retry-after`); an authentication failure, an unknown model or a bad request stops the run
 * at once. Each line is written whole by a single append, and a rerun skips the prompts
 * already answered, so an interrupted run resumes without duplicates.
 *
 * @example
 * ```ts
 * await runProbe({ baseURL: 'http://127.0.0.1:8000/v1', model: 'reference', apiKey: process.env.OPENAI_API_KEY!,
 *   promptsPath: 'prompts.jsonl', outPath: 'answers.jsonl', maxTokens: 200 });
 * ```
 */
export async function runProbe(options: ProbeOptions): Promise<ProbeSummary> {
  checkBaseUrl(options.baseURL);
  const prompts = await readPrompts(options.promptsPath);
  const { todo, done } = await remainingPrompts(prompts, options.outPath);
  const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: options.maxRetries ?? 6, timeout: 300_000 });
  let out;
  try {
    out = await open(options.outPath, 'a');
  } catch (e) {
    throw new RadiomarkError('INPUT_FORMAT', `cannot write ${options.outPath}: ${describeFsError(e)}`);
  }
  let next = 0;
  let written = 0;
  // Appends one after another: a FileHandle must not have two writes in flight.
  let writes = Promise.resolve();
  const append = (line: string) => (writes = writes.then(async () => void (await out.write(line))));
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < todo.length) {
      const prompt = todo[next++]!;
      try {
        const completion = await ask(client, options, prompt);
        await append(`${JSON.stringify({ prompt, completion })}\n`);
        written++;
        options.onProgress?.(done + written, prompts.length);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, todo.length)) }, worker));
  } finally {
    await out.close();
  }
  if (failure !== undefined) throw describeFailure(failure, options);
  return { prompts: prompts.length, resumed: done, written };
}

async function ask(client: OpenAI, options: ProbeOptions, prompt: string): Promise<string> {
  const sampling = { max_tokens: options.maxTokens, temperature: options.temperature };
  if (options.endpoint === 'completions') {
    const r = await client.completions.create({ model: options.model, prompt, ...sampling });
    return r.choices[0]?.text ?? '';
  }
  const r = await client.chat.completions.create({ model: options.model, messages: [{ role: 'user', content: prompt }], ...sampling });
  return r.choices[0]?.message.content ?? '';
}

function checkBaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RadiomarkError('INVALID_ARGUMENT', `--base-url is not a URL: "${url.slice(0, 200)}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new RadiomarkError('INVALID_ARGUMENT', `--base-url must be http:// or https:// (got ${parsed.protocol})`);
  }
}

// One line, and never the API key (a server may echo it back in its message).
function describeFailure(e: unknown, options: ProbeOptions): Error {
  if (e instanceof RadiomarkError) return e;
  const scrub = (s: string) => (options.apiKey ? s.replaceAll(options.apiKey, '***') : s).split('\n')[0]!.slice(0, 300);
  if (e instanceof OpenAI.AuthenticationError || e instanceof OpenAI.PermissionDeniedError) {
    return new RadiomarkError('INVALID_ARGUMENT', `authentication failed at ${options.baseURL} (HTTP ${e.status}): check the API key`);
  }
  if (e instanceof OpenAI.APIConnectionError) {
    return new RadiomarkError(
      'INVALID_ARGUMENT',
      `cannot reach ${options.baseURL}: ${scrub(String((e.cause as Error)?.message ?? e.message))}`,
    );
  }
  if (e instanceof OpenAI.APIError) {
    return new RadiomarkError('INVALID_ARGUMENT', `${options.baseURL} answered HTTP ${e.status ?? '?'}: ${scrub(e.message)}`);
  }
  return new RadiomarkError('INVALID_ARGUMENT', `probe failed: ${scrub(String((e as Error)?.message ?? e))}`);
}
