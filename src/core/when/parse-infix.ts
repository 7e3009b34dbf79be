import { WHEN_MAX_DEPTH, type WhenAst, type WhenOperator } from './ast';
import { syntaxError, tokenizeInfix, type InfixToken } from './tokenize-infix';

const COMPARISONS = new Map<string, WhenOperator>([
  ['==', 'eq'],
  ['!=', 'neq'],
  ['>', 'gt'],
  ['>=', 'gte'],
  ['<', 'lt'],
  ['<=', 'lte'],
]);

const KEYWORD_VALUES = new Map<string, WhenAst>([
  ['true', true],
  ['false', false],
  ['null', null],
]);

const describeToken = (token: InfixToken): string => {
  if (token.kind === 'end') return 'end of input';
  if (token.kind === 'string') return `string ${JSON.stringify(token.text)}`;
  return `'${token.text}'`;
};

/**
 * Recursive descent over: or := and ('||' and)*; and := cmp ('&&' cmp)*;
 * cmp := unary (cmpop unary)?; unary := '!' unary | primary; primary := literal | path | '(' or ')'.
 */
class InfixParser {
  private index = 0;
  private nesting = 0;

  constructor(private readonly tokens: InfixToken[]) {}

  parse(): WhenAst {
    const ast = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') {
      throw syntaxError(next.position, `expected an operator or end of input, got ${describeToken(next)}`);
    }
    return ast;
  }

  private peek(): InfixToken {
    return this.tokens[this.index] ?? { kind: 'end', text: '', position: 0 };
  }

  private isOp(text: string): boolean {
    const token = this.peek();
    return token.kind === 'op' && token.text === text;
  }

  private parseChain(symbol: string, op: 'and' | 'or', operand: () => WhenAst): WhenAst {
    const first = operand();
    if (!this.isOp(symbol)) return first;
    const args = [first];
    while (this.isOp(symbol)) {
      this.index += 1;
      args.push(operand());
    }
    return { op, args };
  }

  private parseOr(): WhenAst {
    return this.parseChain('||', 'or', () => this.parseAnd());
  }

  private parseAnd(): WhenAst {
    return this.parseChain('&&', 'and', () => this.parseComparison());
  }

  private parseComparison(): WhenAst {
    const left = this.parseUnary();
    const token = this.peek();
    const op = token.kind === 'op' ? COMPARISONS.get(token.text) : undefined;
    if (op === undefined) return left;
    this.index += 1;
    const right = this.parseUnary();
    const after = this.peek();
    if (after.kind === 'op' && COMPARISONS.has(after.text)) {
      throw syntaxError(after.position, `comparisons cannot be chained; add parentheses or use '&&'`);
    }
    return { op, args: [left, right] };
  }

  private enter(token: InfixToken): void {
    this.nesting += 1;
    if (this.nesting > WHEN_MAX_DEPTH) {
      throw syntaxError(token.position, `expression is nested too deeply (max depth ${WHEN_MAX_DEPTH})`);
    }
  }

  private parseUnary(): WhenAst {
    const token = this.peek();
    if (!this.isOp('!')) return this.parsePrimary();
    this.index += 1;
    this.enter(token);
    const operand = this.parseUnary();
    this.nesting -= 1;
    return { op: 'not', args: [operand] };
  }

  private parsePrimary(): WhenAst {
    const token = this.peek();
    this.index += 1;
    switch (token.kind) {
      case 'string':
        return token.text;
      case 'number': {
        const value = Number(token.text);
        if (!Number.isFinite(value)) throw syntaxError(token.position, `number ${token.text} is out of range`);
        return value;
      }
      case 'keyword':
        return KEYWORD_VALUES.get(token.text) ?? null;
      case 'path':
        return { var: token.text };
      case 'op':
        if (token.text === '(') return this.parseGroup(token);
        break;
      case 'end':
        break;
    }
    throw syntaxError(token.position, `expected a value, got ${describeToken(token)}`);
  }

  private parseGroup(open: InfixToken): WhenAst {
    this.enter(open);
    const inner = this.parseOr();
    this.nesting -= 1;
    const close = this.peek();
    if (!this.isOp(')')) {
      throw syntaxError(close.position, `expected ')' to close '(' at position ${open.position}, got ${describeToken(close)}`);
    }
    this.index += 1;
    return inner;
  }
}

export const parseInfix = (source: string): WhenAst => new InfixParser(tokenizeInfix(source)).parse();
