import { WhenCompileError } from './compile-error';

export type InfixTokenKind = 'op' | 'string' | 'number' | 'path' | 'keyword' | 'end';

export interface InfixToken {
  kind: InfixTokenKind;
  /** The source text, or the decoded value for strings. */
  text: string;
  /** 1-based character position in the source. */
  position: number;
}

const OPERATORS = ['==', '!=', '>=', '<=', '&&', '||', '>', '<', '!', '(', ')'] as const;
const KEYWORDS = new Set(['true', 'false', 'null']);
const ESCAPES = new Map([
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
  ['b', '\b'],
  ['f', '\f'],
  ['v', '\v'],
  ['0', '\0'],
]);
const HINTS = new Map([
  ['=', "'=='"],
  ['&', "'&&'"],
  ['|', "'||'"],
]);

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isLetter = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isIdentStart = (c: string | undefined): boolean => isLetter(c) || c === '_' || c === '$';
const isIdentPart = (c: string | undefined): boolean => isIdentStart(c) || isDigit(c) || c === '-';

export const syntaxError = (position: number, message: string): WhenCompileError =>
  new WhenCompileError(`syntax error at position ${position}: ${message}`);

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/;

export const tokenizeInfix = (source: string): InfixToken[] => {
  const tokens: InfixToken[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    const position = i + 1;
    if (isSpace(c)) {
      i += 1;
      continue;
    }
    if (source.startsWith('===', i) || source.startsWith('!==', i)) {
      throw syntaxError(position, `'${source.slice(i, i + 3)}' is not supported, use '${source.slice(i, i + 2)}'`);
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', text: op, position });
      i += op.length;
      continue;
    }
    if (c === '"' || c === "'") {
      const [text, next] = readString(source, i);
      tokens.push({ kind: 'string', text, position });
      i = next;
      continue;
    }
    if (isDigit(c) || (c === '-' && isDigit(source[i + 1]))) {
      const match = NUMBER.exec(source.slice(i));
      const text = match?.[0] ?? c;
      if (isIdentPart(source[i + text.length]) || source[i + text.length] === '.') {
        throw syntaxError(position, `invalid number starting with ${JSON.stringify(source.slice(i, i + text.length + 1))}`);
      }
      tokens.push({ kind: 'number', text, position });
      i += text.length;
      continue;
    }
    if (isIdentStart(c)) {
      const [text, next] = readPath(source, i);
      tokens.push({ kind: KEYWORDS.has(text) ? 'keyword' : 'path', text, position });
      i = next;
      continue;
    }
    const hint = HINTS.get(c);
    throw syntaxError(position, `unexpected character ${JSON.stringify(c)}${hint === undefined ? '' : ` (did you mean ${hint}?)`}`);
  }
  tokens.push({ kind: 'end', text: '', position: source.length + 1 });
  return tokens;
};

const readPath = (source: string, start: number): [string, number] => {
  let i = start + 1;
  while (isIdentPart(source[i])) i += 1;
  while (source[i] === '.') {
    if (!isIdentPart(source[i + 1]) || source[i + 1] === '-') {
      throw syntaxError(i + 2, `expected a field name after '.'`);
    }
    i += 2;
    while (isIdentPart(source[i])) i += 1;
  }
  return [source.slice(start, i), i];
};

const readString = (source: string, start: number): [string, number] => {
  const quote = source.charAt(start);
  let out = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source.charAt(i);
    if (c === quote) return [out, i + 1];
    if (c !== '\\') {
      out += c;
      i += 1;
      continue;
    }
    const e = source.charAt(i + 1);
    if (e === '') break;
    if (e === 'u') {
      const hex = source.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw syntaxError(i + 1, 'invalid \\u escape, expected 4 hex digits');
      out += String.fromCharCode(parseInt(hex, 16));
      i += 6;
      continue;
    }
    out += ESCAPES.get(e) ?? e;
    i += 2;
  }
  throw syntaxError(start + 1, 'unterminated string literal');
};
