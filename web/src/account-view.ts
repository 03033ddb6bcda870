import type { AccountDecoding } from '../../src/core.js';

/**
 * Writes the account-id line under the verdict: the decoded id when the library reports it
 * significant, else a neutral "no account id decoded". The numbers are the library's
 * (`decodeAccount`); nothing is computed here. Text goes in with `textContent` only.
 *
 * @example
 * ```ts
 * renderAccount(document.querySelector('#account')!, watermark.decodeAccount(text, { alpha }));
 * ```
 */
export function renderAccount(el: HTMLElement, found: AccountDecoding): void {
  const log10p = found.log10PValue.toFixed(2);
  if (found.significant && found.account !== null) {
    setLine(el, 'found', `Account id: ${found.account} (log10 p = ${log10p}; corrected for all 2^32 ids and the ids tried)`);
  } else {
    setLine(el, 'none', `No account id decoded (log10 p = ${log10p}; not significant at α = ${found.alpha})`);
  }
  el.title = found.nullHypothesis;
}

/**
 * Writes a short neutral note in the account-id line (`pending` while decoding, `unsupported`
 * when the key cannot carry ids), or hides the line when `text` is empty.
 *
 * @example
 * ```ts
 * showAccountNote(el, 'pending', 'Decoding the account id…');
 * ```
 */
export function showAccountNote(el: HTMLElement, kind: 'pending' | 'unsupported' | 'empty', text = ''): void {
  setLine(el, kind, text);
  el.removeAttribute('title');
}

function setLine(el: HTMLElement, kind: string, text: string): void {
  el.className = `account ${kind}`;
  el.textContent = text;
  el.hidden = text === '';
}
