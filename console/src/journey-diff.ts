/** One line of a diff: in both, only in the newer text, or only in the older. */
export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/**
 * A line diff by longest common subsequence, the older text's lines first where
 * both change. Journeys are a few hundred lines at most, so the quadratic table
 * is small.
 */
export const lineDiff = (older: string, newer: string): DiffLine[] => {
  const a = older === '' ? [] : older.replace(/\n$/, '').split('\n');
  const b = newer === '' ? [] : newer.replace(/\n$/, '').split('\n');
  const width = b.length + 1;
  // common[i * width + j]: the longest common subsequence of a[i..] and b[j..].
  const common = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      common[i * width + j] =
        a[i] === b[j]
          ? (common[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(common[(i + 1) * width + j] ?? 0, common[i * width + j + 1] ?? 0);
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const left = a[i];
    const right = b[j];
    if (left !== undefined && left === right) {
      lines.push({ kind: 'same', text: left });
      i++;
      j++;
    } else if (
      left !== undefined &&
      (right === undefined || (common[(i + 1) * width + j] ?? 0) >= (common[i * width + j + 1] ?? 0))
    ) {
      lines.push({ kind: 'removed', text: left });
      i++;
    } else if (right !== undefined) {
      lines.push({ kind: 'added', text: right });
      j++;
    }
  }
  return lines;
};
