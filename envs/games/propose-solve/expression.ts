/**
 * Exact arithmetic expressions for Countdown: integers, + - * / (also × ÷), parentheses.
 * Division must be exact; every literal must come from the given numbers, each used at most
 * once. Bounded: at most 200 characters and nesting depth 20.
 */
export type Evaluated = { ok: true; value: number; used: number[] } | { ok: false; reason: string };

const MAX_CHARS = 200;
const MAX_DEPTH = 20;

class Parser {
  private i = 0;
  readonly used: number[] = [];
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  parse(): number {
    const v = this.sum(0);
    this.skip();
    if (this.i < this.text.length) throw new Error(`unexpected "${this.text[this.i]}"`);
    return v;
  }

  private skip(): void {
    while (this.text[this.i] === ' ') this.i++;
  }

  private sum(depth: number): number {
    let v = this.product(depth);
    for (;;) {
      this.skip();
      const op = this.text[this.i];
      if (op !== '+' && op !== '-') return v;
      this.i++;
      const r = this.product(depth);
      v = op === '+' ? v + r : v - r;
    }
  }

  private product(depth: number): number {
    let v = this.atom(depth);
    for (;;) {
      this.skip();
      const op = this.text[this.i];
      if (op !== '*' && op !== '/') return v;
      this.i++;
      const r = this.atom(depth);
      if (op === '*') v *= r;
      else {
        if (r === 0) throw new Error('division by zero');
        if (v % r !== 0) throw new Error(`${v} / ${r} is not a whole number`);
        v /= r;
      }
      if (!Number.isSafeInteger(v)) throw new Error('number too large');
    }
  }

  private atom(depth: number): number {
    if (depth > MAX_DEPTH) throw new Error('nested too deeply');
    this.skip();
    if (this.text[this.i] === '(') {
      this.i++;
      const v = this.sum(depth + 1);
      this.skip();
      if (this.text[this.i] !== ')') throw new Error('missing ")"');
      this.i++;
      return v;
    }
    const m = /^\d{1,6}/.exec(this.text.slice(this.i));
    if (!m) throw new Error(this.i < this.text.length ? `unexpected "${this.text[this.i]}"` : 'incomplete expression');
    this.i += m[0].length;
    const n = Number(m[0]);
    this.used.push(n);
    return n;
  }
}

export function evaluate(expression: string): Evaluated {
  const text = expression.replace(/[×x]/g, '*').replace(/÷/g, '/').replace(/\s+/g, ' ').trim();
  if (!text) return { ok: false, reason: 'empty expression' };
  if (text.length > MAX_CHARS) return { ok: false, reason: `expression longer than ${MAX_CHARS} characters` };
  const parser = new Parser(text);
  try {
    const value = parser.parse();
    return { ok: true, value: value + 0, used: parser.used };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** Which literal is not available when each given number may be used once, if any. */
export function overused(used: readonly number[], numbers: readonly number[]): number | undefined {
  const left = numbers.slice();
  for (const n of used) {
    const i = left.indexOf(n);
    if (i < 0) return n;
    left.splice(i, 1);
  }
  return undefined;
}
