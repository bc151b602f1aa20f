/**
 * Linear scanners over an untrusted text reply: the last complete `\boxed{...}`, the innermost
 * `[...]` tokens, the innermost `{...}` objects, and the normalization action names are
 * compared in. Each is one left-to-right pass (no regex that can backtrack over the input),
 * so a reply of n characters costs O(n) whatever it contains.
 */

const BOXED = '\\boxed';
/** `\boxed{\text{bet}}`: LaTeX wrappers peeled off a boxed answer, at most this many deep. */
const MAX_UNWRAP = 8;

const SPACE = 32;
const QUOTE = 39; // '
const DOUBLE_QUOTE = 34; // "
const BACKTICK = 96; // `
const FULL_STOP = 46; // .
const BANG = 33; // !
const OPEN_SQUARE = 91; // [
const CLOSE_SQUARE = 93; // ]
const OPEN_BRACE = 123; // {
const CLOSE_BRACE = 125; // }

/** A slice of the reply: [start, end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The characters `\s` matches (ECMAScript WhiteSpace and LineTerminator), by code unit. */
function isSpace(c: number): boolean {
  if (c === SPACE || (c >= 9 && c <= 13)) return true;
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

const isQuote = (c: number): boolean => c === QUOTE || c === DOUBLE_QUOTE || c === BACKTICK;

/**
 * The name form both replies and action texts are compared in: surrounding whitespace,
 * quotes, pairs of square brackets and trailing `.`/`!` peeled off (repeatedly), inner
 * whitespace collapsed to one space, lower case. "  '[ Bet ]'. " and "bet" are equal.
 */
export function normalizeActionText(text: string): string {
  let start = 0;
  let end = text.length;
  for (;;) {
    let c = text.charCodeAt(start);
    while (start < end && (isSpace(c) || isQuote(c))) c = text.charCodeAt(++start);
    c = text.charCodeAt(end - 1);
    while (end > start && (isSpace(c) || isQuote(c) || c === FULL_STOP || c === BANG)) c = text.charCodeAt(--end - 1);
    if (end - start < 2 || text.charCodeAt(start) !== OPEN_SQUARE || text.charCodeAt(end - 1) !== CLOSE_SQUARE) break;
    start++;
    end--;
  }
  if (start >= end) return '';
  // `\s+` is one greedy class with nothing after it: linear, no backtracking.
  return text.slice(start, end).replace(/\s+/g, ' ').toLowerCase();
}

/** The innermost `open...close` spans (no `open` or `close` inside), left to right, content only. */
export function innermostSpans(text: string, open: '[' | '{', close: ']' | '}'): Span[] {
  const openCode = open.charCodeAt(0);
  const closeCode = close.charCodeAt(0);
  const spans: Span[] = [];
  let from = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === openCode) from = i + 1;
    else if (c === closeCode && from >= 0) {
      spans.push({ start: from, end: i });
      from = -1;
    }
  }
  return spans;
}

/**
 * The content of the last complete `\boxed{...}` (the one that closes last), braces inside it
 * balanced, or undefined if the reply has none. Unclosed boxes are not answers.
 * One pass with a stack of open braces, each remembering whether a `\boxed` opened it.
 */
export function lastBoxed(text: string): Span | undefined {
  const open: number[] = []; // content start of a boxed brace, or -1 for any other brace
  let last: Span | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE) {
      open.push(i >= BOXED.length && text.startsWith(BOXED, i - BOXED.length) ? i + 1 : -1);
    } else if (c === CLOSE_BRACE && open.length > 0) {
      const start = open.pop()!;
      if (start >= 0) last = { start, end: i };
    }
  }
  return last;
}

/** `\text{bet}` -> `bet`: the command's argument when one `\command{...}` spans the whole text. */
function unwrapOnce(text: string): string | undefined {
  if (text[0] !== '\\' || text[text.length - 1] !== '}') return undefined;
  let i = 1;
  while (i < text.length && /[a-zA-Z]/.test(text[i]!)) i++;
  if (i === 1 || text[i] !== '{') return undefined;
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) return j === text.length - 1 ? text.slice(i + 1, j) : undefined;
  }
  return undefined;
}

/** A boxed answer without its LaTeX wrappers: `\text{\textbf{ bet }}` -> ` bet `. */
export function unwrapLatex(text: string): string {
  let current = text.trim();
  for (let k = 0; k < MAX_UNWRAP; k++) {
    const inner = unwrapOnce(current);
    if (inner === undefined) break;
    current = inner.trim();
  }
  return current;
}

/** Worth a JSON.parse: a `{...}` whose content starts with a quoted key. */
export function looksLikeJsonObject(text: string, span: Span): boolean {
  let i = span.start;
  while (i < span.end && isSpace(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === DOUBLE_QUOTE;
}
