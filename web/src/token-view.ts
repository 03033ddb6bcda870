import type { TokenDetail } from '../../src/detect/detection-result.js';

/**
 * Renders `text` into `container` as one span per token, coloured by its detection status
 * (class `tok-<status>`), with the token id and status as a tooltip. Text is inserted with
 * `textContent` only, so a pasted text can never inject markup.
 *
 * @example
 * ```ts
 * renderTokens(document.querySelector('#tokens')!, text, result.details!);
 * ```
 */
export function renderTokens(container: HTMLElement, text: string, details: readonly TokenDetail[]): void {
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const token of details) {
    const start = token.start ?? at;
    const end = token.end ?? start;
    if (start > at) fragment.append(text.slice(at, start));
    // Tokens that split one character share its span: the first one shows it.
    if (end <= at) continue;
    const span = document.createElement('span');
    span.className = `tok tok-${token.status}`;
    span.textContent = text.slice(Math.max(start, at), end);
    span.title = `token ${token.id}: ${token.status}`;
    fragment.append(span);
    at = end;
  }
  if (at < text.length) fragment.append(text.slice(at));
  container.replaceChildren(fragment);
}
