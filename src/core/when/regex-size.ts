/*
 * Estimates the RE2 program size of a pattern from its text, without compiling it: compiling costs
 * time in proportion to the program (a 1,000-character pattern of counted repetitions compiles to
 * 150,000 instructions in about a second), so the size must be known first. The estimate follows
 * the sizes RE2's own parser uses to refuse huge programs (a literal or class is 1, `x*` is 2 + x,
 * `x+` and `x?` are 1 + x, `x{n,m}` is m·x + (m − n), `x{n,}` is 1 + n·x, a capture adds 2, an
 * alternation adds one per `|`) plus the 2 instructions every program has. It errs on the large
 * side (RE2 turns `a|b|c` into one class), never below the compiled size (a property test checks
 * it); the compiled size stays the authority for the limit. A pattern RE2 would reject may get any
 * estimate: compiling it then fails cheaply.
 */

interface Frame {
  /** Sum of the finished alternatives. */
  done: number;
  /** Finished alternatives so far (each `|` adds one). */
  bars: number;
  /** The alternative being read. */
  current: number;
  /** Size of the last atom of the current alternative (what a quantifier repeats), 0 when none. */
  last: number;
  capture: boolean;
}

const PROGRAM_OVERHEAD = 2;
// Far above any limit, small enough that sums and products stay exact doubles.
const CEILING = 1e12;

const frame = (capture: boolean): Frame => ({ done: 0, bars: 0, current: 0, last: 0, capture });

const frameSize = (f: Frame): number => f.done + f.current + f.bars + (f.capture ? 2 : 0);

const addAtom = (f: Frame, size: number): void => {
  f.current = Math.min(CEILING, f.current + size);
  f.last = size;
};

const repeat = (f: Frame, sized: (sub: number) => number): void => {
  if (f.last === 0) return;
  const grown = Math.min(CEILING, Math.max(1, sized(f.last)));
  f.current = Math.min(CEILING, f.current - f.last + grown);
  f.last = grown;
};

const COUNTED = /^\{(\d{1,9})(,(\d{0,9}))?\}/;

/** Index just past a character class that opens at `start` (`[`). */
const skipClass = (pattern: string, start: number): number => {
  let i = start + 1;
  if (pattern[i] === '^') i += 1;
  if (pattern[i] === ']') i += 1;
  while (i < pattern.length && pattern[i] !== ']') {
    if (pattern[i] === '\\') i += 2;
    else if (pattern.startsWith('[:', i)) {
      const end = pattern.indexOf(':]', i + 2);
      i = end === -1 ? i + 1 : end + 2;
    } else i += 1;
  }
  return i + 1;
};

/** Index just past an escape that opens at `start` (`\`), and how many atoms it stands for. */
const skipEscape = (pattern: string, start: number): { next: number; atoms: number } => {
  const c = pattern[start + 1];
  if (c === 'Q') {
    const end = pattern.indexOf('\\E', start + 2);
    const stop = end === -1 ? pattern.length : end;
    return { next: end === -1 ? stop : end + 2, atoms: stop - (start + 2) };
  }
  if ((c === 'p' || c === 'P' || c === 'x') && pattern[start + 2] === '{') {
    const end = pattern.indexOf('}', start + 3);
    return { next: end === -1 ? pattern.length : end + 1, atoms: 1 };
  }
  if (c === 'p' || c === 'P') return { next: start + 3, atoms: 1 };
  if (c === 'x') return { next: start + 4, atoms: 1 };
  return { next: start + 2, atoms: 1 };
};

/** Reads `(?...` at `start`: a flag group `(?i)` opens nothing; anything else opens a group. */
const readGroupOpening = (pattern: string, start: number): { next: number; opens: boolean; capture: boolean } => {
  if (pattern[start + 1] !== '?') return { next: start + 1, opens: true, capture: true };
  const flags = /^\(\?[a-zA-Z-]*([:)])/.exec(pattern.slice(start, start + 16));
  if (flags?.[1] === ')') return { next: start + flags[0].length, opens: false, capture: false };
  if (flags) return { next: start + flags[0].length, opens: true, capture: false };
  const named = /^\(\?P?<[^>]*>/.exec(pattern.slice(start, start + 300));
  if (named) return { next: start + named[0].length, opens: true, capture: true };
  return { next: start + 2, opens: true, capture: false };
};

export const estimateRegexProgramSize = (pattern: string): number => {
  const stack: Frame[] = [frame(false)];
  const top = (): Frame => stack[stack.length - 1] as Frame;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    const f = top();
    switch (c) {
      case '\\': {
        const { next, atoms } = skipEscape(pattern, i);
        for (let k = 0; k < atoms; k += 1) addAtom(f, 1);
        i = next;
        continue;
      }
      case '[':
        addAtom(f, 1);
        i = skipClass(pattern, i);
        continue;
      case '(': {
        const opening = readGroupOpening(pattern, i);
        if (opening.opens) stack.push(frame(opening.capture));
        i = opening.next;
        continue;
      }
      case ')': {
        if (stack.length > 1) {
          stack.pop();
          addAtom(top(), frameSize(f));
        }
        i += 1;
        continue;
      }
      case '|':
        f.done = Math.min(CEILING, f.done + f.current);
        f.bars += 1;
        f.current = 0;
        f.last = 0;
        i += 1;
        continue;
      case '*':
        repeat(f, (sub) => 2 + sub);
        i += pattern[i + 1] === '?' ? 2 : 1;
        continue;
      case '+':
      case '?':
        repeat(f, (sub) => 1 + sub);
        i += pattern[i + 1] === '?' ? 2 : 1;
        continue;
      case '{': {
        const counted = COUNTED.exec(pattern.slice(i, i + 24));
        if (!counted) {
          addAtom(f, 1);
          i += 1;
          continue;
        }
        const min = Number(counted[1]);
        const max = counted[2] === undefined ? min : counted[3] === '' ? -1 : Number(counted[3]);
        repeat(f, (sub) => (max === -1 ? (min === 0 ? 2 + sub : 1 + min * sub) : max * sub + Math.max(0, max - min)));
        i += counted[0].length;
        if (pattern[i] === '?') i += 1;
        continue;
      }
      default:
        addAtom(f, 1);
        i += 1;
    }
  }
  while (stack.length > 1) {
    const open = stack.pop() as Frame;
    addAtom(top(), frameSize(open));
  }
  return Math.min(CEILING, Math.max(1, frameSize(top())) + PROGRAM_OVERHEAD);
};
