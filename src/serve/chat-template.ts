/**
 * One chat message after validation: a role and its text.
 *
 * @example
 * ```ts
 * const m: ChatMessage = { role: 'user', content: 'The ship' };
 * ```
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * The prompt a chat request is turned into (the "radiomark plain" template): one line
 * `Role: content` per message (System, User, Assistant; a `developer` message counts as
 * System), then `Assistant:` for the model to continue, which is where the answer starts.
 * The embedded reference model is a plain n-gram model with no chat training, so a plain
 * labelled transcript is the honest choice; GGUF chat models get the same template (their
 * own chat template is not applied, so answers are continuations of this transcript).
 *
 * @example
 * ```ts
 * formatChatPrompt([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'The ship' }]);
 * // 'System: Be brief.\nUser: The ship\nAssistant:'
 * ```
 */
export function formatChatPrompt(messages: readonly ChatMessage[]): string {
  const label = { system: 'System', user: 'User', assistant: 'Assistant' } as const;
  return `${messages.map((m) => `${label[m.role]}: ${m.content}`).join('\n')}\nAssistant:`;
}
