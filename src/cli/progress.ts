/** Prints `radiomark: warning: MESSAGE` on stderr (the command goes on). */
export function warn(message: string): void {
  process.stderr.write(`radiomark: warning: ${message}\n`);
}

/** A progress bar on stderr, drawn only on a TTY and only once the work has taken a second. */
export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

/** Creates a progress bar labelled `label`; silent when stderr is not a terminal. */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const start = Date.now();
  let drawn = false;
  let lastDraw = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (!stream.isTTY || now - start < 1000 || now - lastDraw < 100) return;
      lastDraw = now;
      drawn = true;
      const width = 30;
      const filled = Math.round((width * done) / Math.max(1, total));
      stream.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

/**
 * Prints a status line on stderr: always for a `phase` (a step that takes seconds, such as
 * training the reference model, so a log shows where the time went), else only on a terminal.
 */
export function status(message: string, options: { phase?: boolean } = {}, stream: NodeJS.WriteStream = process.stderr): void {
  if (options.phase || stream.isTTY) stream.write(`${message}\n`);
}
