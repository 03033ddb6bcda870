import { randomInt, randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { concatIds } from '../base/token-ids.js';
import { ApiError } from './api-error.js';
import { bearerToken, type ApiKeys } from './api-keys.js';
import { GenerationGate } from './generation-gate.js';
import { parseCompletionRequest, type CompletionRequest } from './openai-request.js';
import type { ServedLedger } from './served-ledger.js';
import type { ServeModel } from './serve-model.js';
import { StopScanner } from './stop-scanner.js';
import type { WatermarkPool } from './watermark-pool.js';

/**
 * Limits of a server.
 *
 * @example
 * ```ts
 * const limits: ServeLimits = { bodyLimit: 1 << 20, maxTokensCap: 4096, concurrency: 4, queue: 256 };
 * ```
 */
export interface ServeLimits {
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Largest `max_tokens` accepted (default 4096). */
  maxTokensCap?: number;
  /** `max_tokens` when a request gives none (default 256, at most the cap). */
  defaultMaxTokens?: number;
  /** Generations running at once (default 4). */
  concurrency?: number;
  /** Requests waiting for a generation slot before new ones get 429 (default 256). */
  queue?: number;
}

/**
 * Everything a server is made of.
 *
 * @example
 * ```ts
 * const options: ServeOptions = { model, apiKeys, watermarks: new WatermarkPool(key, model.vocabSize), ledger: null };
 * ```
 */
export interface ServeOptions {
  model: ServeModel;
  /** The API keys and their accounts. */
  apiKeys: ApiKeys;
  /** Watermarks per account, or `null` to serve unwatermarked answers (a baseline). */
  watermarks: WatermarkPool | null;
  /** Where every answer is recorded, or `null` for no ledger. */
  ledger: ServedLedger | null;
  limits?: ServeLimits;
}

type Finish = 'stop' | 'length';
interface Answer {
  text: string;
  ids: number[];
  promptIds: Uint32Array;
  finish: Finish;
}

/**
 * The OpenAI-compatible server (Fastify): `GET /v1/models`, `POST /v1/chat/completions` and
 * `POST /v1/completions`, plain or streamed (server-sent events). Each request is
 * authenticated by its bearer token, which names the caller's account; the answer is
 * watermarked with the key and that account, recorded durably in the ledger before the
 * response completes, and only then finished (the JSON body, or the last chunk and
 * `data: [DONE]`). Errors use the OpenAI error object. Nothing is logged.
 *
 * @example
 * ```ts
 * const app = createServeApp({ model, apiKeys, watermarks: new WatermarkPool(key, model.vocabSize), ledger });
 * await app.listen({ host: '127.0.0.1', port: 0 });
 * ```
 */
export function createServeApp(options: ServeOptions): FastifyInstance {
  const { model, apiKeys, watermarks, ledger } = options;
  const limits = options.limits ?? {};
  const maxTokensCap = limits.maxTokensCap ?? 4096;
  const requestLimits = { maxTokensCap, defaultMaxTokens: Math.min(limits.defaultMaxTokens ?? 256, maxTokensCap) };
  const gate = new GenerationGate(limits.concurrency ?? 4, limits.queue ?? 256);
  const app = Fastify({ logger: false, bodyLimit: limits.bodyLimit ?? 1 << 20, return503OnClosing: true });
  const accountOf = new WeakMap<FastifyRequest, number>();

  app.addHook('onRequest', async (request) => {
    const account = apiKeys.accountOf(bearerToken(request.headers.authorization) ?? '');
    if (account === undefined) {
      // Never echo the token: the message is the same for a missing and a wrong key.
      throw new ApiError(401, 'missing or incorrect API key (send "Authorization: Bearer <key>")', { code: 'invalid_api_key' });
    }
    accountOf.set(request, account);
  });

  const modelEntry = { id: model.id, object: 'model', created: 0, owned_by: 'radiomark' };
  app.get('/v1/models', async () => ({ object: 'list', data: [modelEntry] }));
  app.get<{ Params: { id: string } }>('/v1/models/:id', async (request) => {
    if (request.params.id !== model.id) throw modelNotFound(request.params.id);
    return modelEntry;
  });

  const handle = (kind: 'chat' | 'text') => async (request: FastifyRequest, reply: FastifyReply) => {
    const req = parseCompletionRequest(kind, request.body, requestLimits);
    if (req.model !== model.id) throw modelNotFound(req.model);
    const account = accountOf.get(request)!;
    // The slot is held while generating only: waiting for the ledger's disk sync takes no CPU.
    const release = await gate.acquire();
    try {
      return await (req.stream ? streamAnswer(req, account, reply, release) : plainAnswer(req, account, reply, release));
    } finally {
      release();
    }
  };
  app.post('/v1/chat/completions', handle('chat'));
  app.post('/v1/completions', handle('text'));

  app.setNotFoundHandler((request, reply) => {
    const e = new ApiError(404, `no route ${request.method} ${request.url.slice(0, 100)}`, { code: 'not_found' });
    void reply.code(404).send(e.body());
  });
  app.setErrorHandler((error, _request, reply) => {
    const e = toApiError(error);
    void reply.code(e.status).send(e.body());
  });

  // Generates the whole answer, records it, then sends it.
  async function plainAnswer(req: CompletionRequest, account: number, reply: FastifyReply, release: () => void) {
    const signal = abortSignalOf(reply);
    const answer = await produce(req, account, signal, () => undefined);
    release();
    await record(account, answer);
    const usage = usageOf(answer);
    const head = { id: newId(req), created: nowSeconds(), model: model.id };
    if (req.kind === 'chat') {
      return {
        ...head,
        object: 'chat.completion',
        choices: [
          { index: 0, message: { role: 'assistant', content: answer.text, refusal: null }, logprobs: null, finish_reason: answer.finish },
        ],
        usage,
      };
    }
    return {
      ...head,
      object: 'text_completion',
      choices: [{ index: 0, text: answer.text, logprobs: null, finish_reason: answer.finish }],
      usage,
    };
  }

  // Streams the text as it is generated; the last chunk and [DONE] follow the ledger record.
  async function streamAnswer(req: CompletionRequest, account: number, reply: FastifyReply, release: () => void) {
    const signal = abortSignalOf(reply);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const head = {
      id: newId(req),
      object: req.kind === 'chat' ? 'chat.completion.chunk' : 'text_completion',
      created: nowSeconds(),
      model: model.id,
    };
    const send = (data: unknown) => {
      if (!signal.aborted) raw.write(`data: ${JSON.stringify(data)}\n\n`);
    };
    const chunk = (text: string | null, finish: Finish | null) =>
      req.kind === 'chat'
        ? { ...head, choices: [{ index: 0, delta: text === null ? {} : { content: text }, logprobs: null, finish_reason: finish }] }
        : { ...head, choices: [{ index: 0, text: text ?? '', logprobs: null, finish_reason: finish }] };
    if (req.kind === 'chat')
      send({ ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] });
    try {
      const answer = await produce(req, account, signal, (text) => send(chunk(text, null)));
      release();
      await record(account, answer);
      send(chunk(null, answer.finish));
      if (req.includeUsage) send({ ...head, choices: [], usage: usageOf(answer) });
      if (!signal.aborted) raw.write('data: [DONE]\n\n');
    } catch (error) {
      send(toApiError(error).body());
    } finally {
      raw.end();
    }
  }

  async function produce(
    req: CompletionRequest,
    account: number,
    signal: { aborted: boolean },
    emit: (text: string) => void,
  ): Promise<Answer> {
    const promptIds = model.encode(req.prompt);
    const scanner = new StopScanner(req.stop);
    const ids: number[] = [];
    let text = '';
    const pieces = model.generate({
      promptIds,
      maxTokens: req.maxTokens,
      temperature: req.temperature,
      topP: req.topP,
      seed: req.seed ?? randomInt(2 ** 47),
      watermark: watermarks?.get(account) ?? null,
      signal,
    });
    for await (const piece of pieces) {
      if (piece.id !== undefined) ids.push(piece.id);
      const out = scanner.push(piece.text);
      if (out.text) {
        text += out.text;
        emit(out.text);
      }
      if (out.stopped) return { text, ids, promptIds, finish: 'stop' };
    }
    const rest = scanner.flush();
    if (rest) {
      text += rest;
      emit(rest);
    }
    return { text, ids, promptIds, finish: ids.length >= req.maxTokens ? 'length' : 'stop' };
  }

  // The generated ids, and (when they differ) the ids of the text as a detector re-tokenizes
  // it: a suspect's text is read the canonical way, so both go into the ledger.
  async function record(account: number, answer: Answer): Promise<void> {
    if (!ledger) return;
    const generated = concatIds(answer.promptIds, answer.ids);
    const canonical = concatIds(answer.promptIds, model.encode(answer.text));
    const same = canonical.length === generated.length && canonical.every((id, i) => id === generated[i]);
    const durable = [ledger.record(account, generated)];
    if (!same) durable.push(ledger.record(account, canonical));
    await Promise.all(durable);
  }

  return app;
}

function abortSignalOf(reply: FastifyReply): { aborted: boolean } {
  const signal = { aborted: false };
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) signal.aborted = true;
  });
  return signal;
}

function usageOf(answer: Answer) {
  return {
    prompt_tokens: answer.promptIds.length,
    completion_tokens: answer.ids.length,
    total_tokens: answer.promptIds.length + answer.ids.length,
  };
}

function modelNotFound(name: string): ApiError {
  return new ApiError(404, `the model "${name.slice(0, 100)}" does not exist on this server`, { param: 'model', code: 'model_not_found' });
}

function newId(req: CompletionRequest): string {
  return `${req.kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomUUID().replaceAll('-', '')}`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

// Fastify's own 4xx errors (bad JSON, body too large, wrong content type) keep their status
// and message; anything else is a 500 that says nothing about internals.
function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = String((error as Error).message ?? 'bad request')
      .split('\n')[0]!
      .slice(0, 300);
    return new ApiError(status, message, { code: (error as { code?: string }).code });
  }
  if (process.env.RADIOMARK_DEBUG) process.stderr.write(`radiomark serve: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return new ApiError(500, 'internal server error', { code: 'internal_error' });
}
