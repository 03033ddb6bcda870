/**
 * The body of an error response in the OpenAI wire format.
 *
 * @example
 * ```ts
 * const body: OpenAIErrorBody = { error: { message: 'bad', type: 'invalid_request_error', param: null, code: null } };
 * ```
 */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/**
 * An error answered to the client in the OpenAI format: HTTP status plus
 * `{"error": {"message", "type", "param", "code"}}`. Messages never hold API keys or the
 * watermark secret.
 *
 * @example
 * ```ts
 * throw new ApiError(400, 'max_tokens must be an integer >= 1', { param: 'max_tokens' });
 * ```
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;

  constructor(
    readonly status: number,
    message: string,
    options: { type?: string; param?: string; code?: string } = {},
  ) {
    super(message);
    this.type = options.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
    this.param = options.param ?? null;
    this.code = options.code ?? null;
  }

  /** The response body. */
  body(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}
