/**
 * Calls `onFile` with the first file dropped on `target` (and highlights the target while a
 * file is dragged over it). The file is read locally by the caller; nothing is uploaded.
 *
 * @example
 * ```ts
 * acceptFileDrop(textarea, async (file) => { textarea.value = await file.text(); });
 * ```
 */
export function acceptFileDrop(target: HTMLElement, onFile: (file: File) => void): void {
  const over = (event: DragEvent) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    target.classList.add('dragging');
  };
  target.addEventListener('dragenter', over);
  target.addEventListener('dragover', over);
  target.addEventListener('dragleave', () => target.classList.remove('dragging'));
  target.addEventListener('drop', (event) => {
    target.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    event.preventDefault();
    onFile(file);
  });
}
