import { hashWords64 } from '../base/tuple-hash.js';
import type { KeyGroup } from './key-groups.js';

/**
 * The prompt rule of the closed-mode test: windows of registered prompts are never scored.
 * Each key group keeps its own prompt windows (hashed seed inputs without the candidate
 * token, as `ScoreTape` does), since seed inputs differ between groups.
 *
 * @example
 * ```ts
 * const prompts = new PromptExclusion();
 * prompts.register(groups, promptIds);
 * if (prompts.excludes(group, tokens, i, words, count)) skip();
 * ```
 */
export class PromptExclusion {
  private readonly words = new Uint32Array(17);
  private readonly hash = new Uint32Array(2);

  /** Registers every window of `prompt`, for every group. */
  register(groups: readonly KeyGroup[], prompt: ArrayLike<number>): void {
    for (const group of groups) {
      for (let end = group.seeder.window; end <= prompt.length; end++) {
        const count = group.seeder.seedInput(prompt, end, this.words);
        hashWords64(this.words, count, this.hash);
        group.promptWindows.add(this.hash[0]!, this.hash[1]!);
      }
    }
  }

  /**
   * True if the window before position `end` occurs in a registered prompt of `group`.
   * `words[0..count)` is the tuple's seed input; it equals the window's except with SelfHash
   * (which may pick the token), whose window is then recomputed here in a scratch buffer.
   */
  excludes(group: KeyGroup, tokens: ArrayLike<number>, end: number, words: Uint32Array, count: number): boolean {
    if (group.promptWindows.size === 0) return false;
    if (group.seeder.selfSeeded) hashWords64(this.words, group.seeder.seedInput(tokens, end, this.words), this.hash);
    else hashWords64(words, count, this.hash);
    return group.promptWindows.has(this.hash[0]!, this.hash[1]!);
  }
}
