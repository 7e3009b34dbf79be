/*
 * V8's String.prototype.includes is quadratic on some inputs (a 10,000-character needle of the form
 * a…aba…a against 262,000 a's takes seconds), so long needles use Knuth–Morris–Pratt, which is
 * linear in both strings. Short needles keep the native search: its worst case is bounded by the
 * needle's length.
 */
const NATIVE_NEEDLE_MAX = 32;

const failureTable = (needle: string): Int32Array => {
  const table = new Int32Array(needle.length);
  let k = 0;
  for (let i = 1; i < needle.length; i += 1) {
    while (k > 0 && needle.charCodeAt(i) !== needle.charCodeAt(k)) k = table[k - 1] as number;
    if (needle.charCodeAt(i) === needle.charCodeAt(k)) k += 1;
    table[i] = k;
  }
  return table;
};

/** `haystack.includes(needle)` in time linear in both lengths. */
export const containsSubstring = (haystack: string, needle: string): boolean => {
  if (needle.length <= NATIVE_NEEDLE_MAX || needle.length > haystack.length) return haystack.includes(needle);
  const table = failureTable(needle);
  let k = 0;
  for (let i = 0; i < haystack.length; i += 1) {
    const c = haystack.charCodeAt(i);
    while (k > 0 && c !== needle.charCodeAt(k)) k = table[k - 1] as number;
    if (c === needle.charCodeAt(k)) k += 1;
    if (k === needle.length) return true;
  }
  return false;
};
