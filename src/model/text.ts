import { nth } from './invariant.js';
/**
 * Name matching: folds case, diacritics, apostrophes and punctuation so that "Xi'an", "Xian" and
 * "XI AN" match, and "Constanța" matches "Constanta".
 */
export function normalizeName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .replace(/ə/g, 'e')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Levenshtein edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = nth(prev, 0);
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = nth(prev, j);
      prev[j] = Math.min(up + 1, nth(prev, j - 1) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return nth(prev, b.length);
}
