import { ApiError } from './api-error.js';
import { formatChatPrompt, type ChatMessage } from './chat-template.js';

/**
 * A validated completion request (chat or text), with the prompt already built.
 *
 * @example
 * ```ts
 * const req: CompletionRequest = parseCompletionRequest('text', { model: 'reference', prompt: 'Hi' }, limits);
 * ```
 */
export interface CompletionRequest {
  kind: 'chat' | 'text';
  model: string;
  prompt: string;
  maxTokens: number;
  temperature: number;
  topP: number;
  /** Sampler seed; `undefined` draws a fresh one. */
  seed: number | undefined;
  stop: string[];
  stream: boolean;
  /** `stream_options.include_usage`: a last chunk with the usage counts. */
  includeUsage: boolean;
}

/**
 * Server limits the request is checked against.
 *
 * @example
 * ```ts
 * const limits: RequestLimits = { maxTokensCap: 4096, defaultMaxTokens: 256 };
 * ```
 */
export interface RequestLimits {
  /** Largest `max_tokens` accepted. */
  maxTokensCap: number;
  /** `max_tokens` when the request gives none. */
  defaultMaxTokens: number;
}

const bad = (message: string, param?: string) => new ApiError(400, message, { param });

/**
 * Validates a `/v1/chat/completions` (`kind` chat) or `/v1/completions` (`kind` text) body;
 * anything malformed is a 400 `ApiError` naming the parameter. Unknown fields are ignored, as
 * OpenAI clients send many; fields that would change the answer and are unsupported (`n` > 1,
 * tools) are refused rather than silently ignored.
 *
 * @example
 * ```ts
 * const req = parseCompletionRequest('chat', { model: 'reference', messages: [{ role: 'user', content: 'Hi' }] }, limits);
 * req.prompt; // 'User: Hi\nAssistant:'
 * ```
 */
export function parseCompletionRequest(kind: 'chat' | 'text', body: unknown, limits: RequestLimits): CompletionRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad('the request body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model.length === 0) throw bad('"model" is required (a string)', 'model');
  const prompt = kind === 'chat' ? formatChatPrompt(parseMessages(b.messages)) : parsePrompt(b.prompt);
  if (b.n !== undefined && b.n !== null && b.n !== 1) throw bad('only n = 1 is supported', 'n');
  if (b.tools !== undefined && b.tools !== null) throw bad('tools are not supported by this server', 'tools');
  const maxParam = b.max_completion_tokens !== undefined && b.max_completion_tokens !== null ? 'max_completion_tokens' : 'max_tokens';
  const maxTokens = optionalNumber(b[maxParam], maxParam, (x) => Number.isInteger(x) && x >= 1) ?? limits.defaultMaxTokens;
  if (maxTokens > limits.maxTokensCap)
    throw bad(`${maxParam} ${maxTokens} exceeds this server's limit of ${limits.maxTokensCap}`, maxParam);
  const streamOptions = b.stream_options;
  if (streamOptions !== undefined && streamOptions !== null && (typeof streamOptions !== 'object' || Array.isArray(streamOptions))) {
    throw bad('"stream_options" must be an object', 'stream_options');
  }
  return {
    kind,
    model: b.model,
    prompt,
    maxTokens,
    temperature: optionalNumber(b.temperature, 'temperature', (x) => x >= 0 && x <= 2) ?? 1,
    topP: optionalNumber(b.top_p, 'top_p', (x) => x > 0 && x <= 1) ?? 1,
    seed: optionalNumber(b.seed, 'seed', Number.isSafeInteger),
    stop: parseStop(b.stop),
    stream: optionalBoolean(b.stream, 'stream') ?? false,
    includeUsage: optionalBoolean((streamOptions as { include_usage?: unknown } | undefined)?.include_usage, 'stream_options') ?? false,
  };
}

function parseMessages(messages: unknown): ChatMessage[] {
  if (!Array.isArray(messages) || messages.length === 0) throw bad('"messages" must be a non-empty array', 'messages');
  return messages.map((m: unknown, i) => {
    const param = `messages[${i}]`;
    if (m === null || typeof m !== 'object') throw bad(`${param} must be an object`, param);
    const { role, content } = m as { role?: unknown; content?: unknown };
    if (role !== 'system' && role !== 'developer' && role !== 'user' && role !== 'assistant') {
      throw bad(`${param}.role must be "system", "developer", "user" or "assistant"`, `${param}.role`);
    }
    return { role: role === 'developer' ? 'system' : role, content: messageText(content, `${param}.content`) };
  });
}

// A string, or an array of {"type": "text", "text"} parts (joined); images and audio are refused.
function messageText(content: unknown, param: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw bad(`${param} must be a string or an array of text parts`, param);
  return content
    .map((part: unknown) => {
      const p = part as { type?: unknown; text?: unknown } | null;
      if (p?.type !== 'text' || typeof p.text !== 'string')
        throw bad(`${param}: only {"type": "text", "text": ...} parts are supported`, param);
      return p.text;
    })
    .join('');
}

function parsePrompt(prompt: unknown): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') return prompt[0];
  throw bad('"prompt" must be a string (or an array holding one string)', 'prompt');
}

function parseStop(stop: unknown): string[] {
  if (stop === undefined || stop === null) return [];
  const list = typeof stop === 'string' ? [stop] : stop;
  if (!Array.isArray(list) || list.length > 4 || !list.every((s) => typeof s === 'string' && s.length > 0)) {
    throw bad('"stop" must be a non-empty string or an array of up to 4 non-empty strings', 'stop');
  }
  return list as string[];
}

function optionalNumber(value: unknown, param: string, check: (x: number) => boolean): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) throw bad(`invalid value for "${param}"`, param);
  return value;
}

function optionalBoolean(value: unknown, param: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw bad(`"${param}" must be a boolean`, param);
  return value;
}
