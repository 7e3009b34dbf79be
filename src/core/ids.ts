const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Lowercase alphanumerics from a [0, 1) source: the workflow's deterministic Math.random, or crypto outside. */
export const randomAlnum = (length: number, random: () => number): string =>
  Array.from({ length }, () => ALPHABET[Math.floor(random() * ALPHABET.length)] ?? 'a').join('');

/** `exec_<epochMs>_<8 lowercase alnum>` (docs/api.md, "Common formats"). */
export const newExecutionId = (now: number, random: () => number): string => `exec_${now}_${randomAlnum(8, random)}`;

export const EXECUTION_ID_PATTERN = /^exec_\d{13}_[a-z0-9]{8}$/;
