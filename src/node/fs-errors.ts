/**
 * A short, human reason for a file-system error (never a stack trace): "no such file",
 * "permission denied", "is a directory", or the error code.
 *
 * @example
 * ```ts
 * try { await readFile(path); } catch (e) { throw new RadiomarkError('INPUT_FORMAT', `cannot read ${path}: ${describeFsError(e)}`); }
 * ```
 */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return code ?? 'I/O error';
}
