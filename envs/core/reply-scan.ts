/**
 * Linear scanners over an untrusted text reply: the last complete `\boxed{...}`, the innermost
 * `[...]` tokens, the innermost `{...}` objects, and the normalization action names are
 * compared in. Each is one left-to-right pass (no regex that can backtrack over the input),
 * so a reply of n characters costs O(n) whatever it contains.
 */

const BOXED = '\\boxed';
const QUOTES = '\'"`';
/** Sentence punctuation a reply may end with ("paper.", "[4]!"). */
const TRAILING = '.!';
/** `\boxed{\text{bet}}`: LaTeX wrappers peeled off a boxed answer, at most this many deep. */
const MAX_UNWRAP = 8;

/** A slice of the reply: [start, end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

const isSpace = (ch: string | undefined): boolean => ch !== undefined && ch.trim() === '';

/**
 * The name form both replies and action texts are compared in: surrounding whitespace,
 * quotes, one pair of square brackets and trailing `.`/`!` peeled off (repeatedly), inner
 * whitespace collapsed to one space, lower case. "  '[ Bet ]'. " and "bet" are equal.
 */
export function normalizeActionText(text: string): string {
  let start = 0;
  let end = text.length;
  for (;;) {
    while (start < end && isSpace(text[start])) start++;
    while (end > start && isSpace(text[end - 1])) end--;
    if (start >= end) return '';
    const first = text[start]!;
    const last = text[end - 1]!;
    if (TRAILING.includes(last)) end--;
    else if (QUOTES.includes(first)) start++;
    else if (QUOTES.includes(last)) end--;
    else if (first === '[' && last === ']' && end - start >= 2) { start++; end--; }
    else break;
  }
  // `\s+` is one greedy class with nothing after it: linear, no backtracking.
  return text.slice(start, end).replace(/\s+/g, ' ').toLowerCase();
}

/** The innermost `open...close` spans (no `open` or `close` inside), left to right, content only. */
export function innermostSpans(text: string, open: string, close: string): Span[] {
  const spans: Span[] = [];
  let from = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === open) from = i + 1;
    else if (ch === close && from >= 0) {
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
    const ch = text[i];
    if (ch === '{') {
      open.push(i >= BOXED.length && text.startsWith(BOXED, i - BOXED.length) ? i + 1 : -1);
    } else if (ch === '}' && open.length > 0) {
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
  while (i < span.end && isSpace(text[i])) i++;
  return text[i] === '"';
}
