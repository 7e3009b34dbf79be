import { RE2JS } from 're2js';
import { WHEN_MAX_LENGTH } from './ast';

const CACHE_LIMIT = 256;

// `null` caches "does not compile" so a bad pattern coming from data is not re-parsed on every evaluation.
const cache = new Map<string, RE2JS | null>();

const compileUncached = (pattern: string): RE2JS | null => {
  try {
    return RE2JS.compile(pattern);
  } catch {
    return null;
  }
};

const compiled = (pattern: string): RE2JS | null => {
  const hit = cache.get(pattern);
  if (hit !== undefined) {
    // Re-insert so the Map's insertion order doubles as least-recently-used order.
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  const fresh = compileUncached(pattern);
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(pattern, fresh);
  return fresh;
};

/** Returns the RE2 syntax error for `pattern`, or undefined when it compiles. */
export const regexSyntaxError = (pattern: string): string | undefined => {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    return `invalid regex pattern ${JSON.stringify(pattern)}: ${detail}`;
  }
};

/** Unanchored search. False for a pattern that does not compile, or is longer than a `when` source may be. */
export const regexMatches = (value: string, pattern: string): boolean => {
  if (pattern.length > WHEN_MAX_LENGTH) return false;
  const re = compiled(pattern);
  if (re === null) return false;
  try {
    return re.test(value);
  } catch {
    return false;
  }
};

export const regexCacheSize = (): number => cache.size;
export const REGEX_CACHE_LIMIT = CACHE_LIMIT;
