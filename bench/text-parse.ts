/**
 * `npm run bench:text`: the cost of parsing one text reply of the maximum length
 * (MAX_REPLY_CHARS) for the adversarial shapes the tests use, against connect-four.
 * Prints one JSON line per shape: {"shape","chars","microsPerParse"} (median of --runs runs).
 * A linear parser keeps every shape within a small factor of a plain sentence.
 */
import { parseArgs } from 'node:util';
import { getEnv, MAX_REPLY_CHARS, tryParseActionText } from '../envs/index.ts';

const connectFour = getEnv('connect-four-v1');

const fill = (unit: string, tail = ''): string => unit.repeat(Math.floor((MAX_REPLY_CHARS - tail.length) / unit.length)) + tail;

const SHAPES: Record<string, string> = {
  prose: fill('I think the best column here is the centre one, so ', '[3]'),
  whitespace: fill(' \t\n', '[5]'),
  // The shape that cost the old regex parser ~50 ms: a whitespace run that ends in neither bracket.
  'inner-whitespace': `x${' '.repeat(MAX_REPLY_CHARS - 2)}x`,
  'inner-quotes': `${"'".repeat(2047)}x${"'".repeat(2047)}y`,
  'whitespace-in-brackets': `[${' '.repeat(MAX_REPLY_CHARS - 4)}5]`,
  'open-brackets': fill('['),
  'bracket-pairs': fill('[ ] '),
  'quotes-then-spaces': `${"'".repeat(2000)}${' '.repeat(2000)}4.`,
  'unclosed-boxes': fill('\\boxed{'),
  'nested-boxes': fill('\\boxed{', '2}'),
  'latex-wrappers': fill('\\boxed{\\text{', '3'),
  'json-lookalikes': fill('{"column":'),
  'json-objects': fill('{"column":1}'),
};

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, iterations: { type: 'string', default: '200' } } });
const runs = Number(values.runs);
const iterations = Number(values.iterations);
const state = connectFour.init(connectFour.parseParams(), 0);

for (const [shape, built] of Object.entries(SHAPES)) {
  const reply = JSON.parse(JSON.stringify(built)) as string; // a flat string, as the wire delivers it
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    for (let i = 0; i < iterations; i++) tryParseActionText(connectFour, state, 0, reply);
    times.push(((performance.now() - started) * 1000) / iterations);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ shape, chars: reply.length, microsPerParse: Math.round(times[Math.floor(runs / 2)]!) }));
}
