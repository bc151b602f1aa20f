/**
 * SPIRAL's action extraction (its Qwen template): take the last `\boxed{...}` (braces
 * balanced), drop a `\text{...}` wrapper, rewrite any remaining `\boxed{x}` to `[x]`, wrap a
 * bracket-free answer of at most five words in brackets, collapse whitespace, and accept the
 * result only if it is exactly one of the listed actions. Anything else is SPIRAL's
 * INVALID_ACTION, which is what the game then receives.
 */
export const SPIRAL_INVALID_ACTION = '[｜INVALID_ACTION｜]';

/** The last `\boxed{...}` (or `\fbox...`) with balanced braces, or undefined. */
function lastBoxed(text: string): string | undefined {
  let start = text.lastIndexOf('\\boxed');
  if (start < 0) start = text.lastIndexOf('\\fbox');
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}') {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return undefined;
}

function unwrap(s: string | undefined, left: string): string | undefined {
  if (s === undefined || !s.startsWith(left) || !s.endsWith('}')) return undefined;
  return s.slice(left.length, -1);
}

/** SPIRAL's answer text before the legal-action check. */
export function spiralFormat(reply: string): string {
  if (!reply) return '';
  const boxed = unwrap(lastBoxed(reply), '\\boxed{');
  let raw = boxed === undefined ? reply.trim() : (unwrap(boxed, '\\text{') ?? boxed);
  raw = raw.replace(/\\boxed\{([^}]*)\}/g, '[$1]');
  // Python's str.split() with no argument: runs of whitespace, no empty words.
  if (!raw.includes('[') && !raw.includes(']') && raw.split(/\s+/).filter((w) => w !== '').length <= 5) raw = `[${raw}]`;
  return raw.replace(/\s+/g, ' ').trim();
}

/**
 * The action text the game receives: a listed action, or SPIRAL_INVALID_ACTION. An empty
 * reply stays empty (SPIRAL returns it as is), so the game's own rule judges it.
 */
export function spiralExtract(reply: string, actions: readonly string[]): string {
  if (reply === '') return '';
  const formatted = spiralFormat(reply);
  return actions.includes(formatted) ? formatted : SPIRAL_INVALID_ACTION;
}
