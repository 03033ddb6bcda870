/**
 * Cuts streamed text at the first stop sequence. Text that could be the start of a stop
 * sequence is held back until the next chunk shows whether it is one, so a client never
 * receives part of a stop sequence.
 *
 * @example
 * ```ts
 * const scan = new StopScanner(['\n\n']);
 * scan.push('Hello\n'); // { text: 'Hello', stopped: false } ('\n' held back)
 * scan.push('\nWorld'); // { text: '', stopped: true }
 * ```
 */
export class StopScanner {
  private held = '';
  private done = false;

  constructor(private readonly stops: readonly string[]) {}

  /** True once a stop sequence was seen. */
  get stopped(): boolean {
    return this.done;
  }

  /** The text that can be emitted after `chunk`, and whether a stop sequence ended the text. */
  push(chunk: string): { text: string; stopped: boolean } {
    if (this.done) return { text: '', stopped: true };
    const buf = this.held + chunk;
    let cut = -1;
    for (const s of this.stops) {
      const i = buf.indexOf(s);
      if (i >= 0 && (cut < 0 || i < cut)) cut = i;
    }
    if (cut >= 0) {
      this.done = true;
      this.held = '';
      return { text: buf.slice(0, cut), stopped: true };
    }
    const keep = this.heldLength(buf);
    this.held = buf.slice(buf.length - keep);
    return { text: buf.slice(0, buf.length - keep), stopped: false };
  }

  /** The held-back text, at the end of generation (it was not a stop sequence after all). */
  flush(): string {
    const rest = this.done ? '' : this.held;
    this.held = '';
    return rest;
  }

  // The longest suffix of buf that is a proper prefix of some stop sequence.
  private heldLength(buf: string): number {
    let best = 0;
    for (const s of this.stops) {
      for (let n = Math.min(s.length - 1, buf.length); n > best; n--) {
        if (buf.endsWith(s.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }
}
