/**
 * Text forms of slime volleyball for people and language models: action names, the rules,
 * and observations that state positions in the reader's own frame (x measured from the net
 * toward the reader's back wall), with the facts a player reasons about spelled out: which
 * side the ball is on, how far it is from you, and whether it is still waiting to be served.
 */
import type { Viewer } from '../../core/env.ts';
import { REF_U, type Body, type World } from './physics.ts';

/** Action names by id (id = forward + 2·backward + 4·jump). */
export const ACTION_NAMES = ['stay', 'forward', 'backward', 'forward+backward', 'jump', 'forward+jump', 'backward+jump', 'forward+backward+jump'] as const;

export const actionName = (id: number): string => ACTION_NAMES[id] ?? `action ${id}`;

/** Other names of an action for the reply parser: its buttons in any order, with or without spaces. */
export function actionAliases(id: number): string[] {
  if (id === 0) return ['noop', 'none'];
  const parts = (ACTION_NAMES[id] ?? '').split('+');
  const orders = permutations(parts);
  return [...orders.map((o) => o.join('+')), ...orders.map((o) => o.join(' + '))].filter((name) => name !== ACTION_NAMES[id]);
}

function permutations(items: readonly string[]): string[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

export const RULES_TEXT =
  'Slime Volleyball (a port of slimevolleygym). Two slimes, half discs of radius 1.5, play on a court 48 wide; ' +
  'a net 1 wide and 3.5 high stands at x = 0, the ground is at y = 1.5. The left slime (seat 0) stays in x < 0, ' +
  'the right slime (seat 1) in x > 0. Each step (1/30 s) both players choose at once from three buttons: ' +
  'forward (toward the net), backward (away from it) and jump (only works on the ground). Forward and backward ' +
  'together cancel. The ball (radius 0.5) bounces off slimes, walls, the ceiling and the top of the net; gravity ' +
  'pulls it down and its speed is capped. After each serve the ball hangs at the top of the court for 30 frames. ' +
  'When the ball touches the ground, the player on that side loses a life and the ball is served again from the ' +
  'middle at a random velocity. Each player starts with 5 lives; the game ends when one has none left, or after ' +
  '3000 steps (a time limit, not a result). Your return is the number of points you won minus the points you ' +
  'lost. Answer with one action in brackets: [stay], [forward], [backward], [jump], [forward+jump], ' +
  '[backward+jump] (also [forward+backward] and [forward+backward+jump], which do not move you sideways).';

const f = (x: number): string => (Math.abs(x) < 0.005 ? '0.00' : x.toFixed(2));

function bodyLine(name: string, b: Body, dir: number, withHeight: boolean): string {
  const height = withHeight ? (b.y <= REF_U + 1e-9 ? ' (on the ground)' : ` (${f(b.y - REF_U)} above the ground)`) : '';
  return `${name}: x ${f(b.x * dir)}, y ${f(b.y)}${height}, velocity (${f(b.vx * dir)}, ${f(b.vy)})`;
}

interface TextContext {
  readonly world: World;
  readonly t: number;
  readonly maxSteps: number;
  readonly returns: readonly number[];
}

export function observationText(c: TextContext, viewer: Viewer): string {
  const { world, t, maxSteps } = c;
  const [left, right] = world.agents;
  const ball = world.ball;
  const serve = world.delay > 0 ? ` It is waiting to be served: it starts moving in ${world.delay} frames.` : '';
  if (viewer === 'spectator') {
    return [
      `Slime Volleyball, step ${t} of ${maxSteps}. Lives: left (seat 0) ${left.life}, right (seat 1) ${right.life}. Score (right's return): ${c.returns[1]}.`,
      'World frame: the net is at x = 0, the left half is x < 0, the ground is at y = 1.5.',
      bodyLine('Left slime', left, 1, true),
      bodyLine('Right slime', right, 1, true),
      `${bodyLine('Ball', ball, 1, false)}, on the ${ball.x <= 0 ? 'left' : 'right'} side.${serve}`,
    ].join('\n');
  }
  const dir = viewer === 0 ? -1 : 1;
  const me = world.agents[viewer]!;
  const them = world.agents[1 - viewer]!;
  const side = ball.x * dir > 0 ? 'your side' : "your opponent's side";
  const dx = ball.x * dir - me.x * dir;
  const where = `${f(Math.abs(dx))} ${dx < 0 ? 'in front of you (toward the net)' : 'behind you'} and ${f(ball.y - me.y)} above your centre`;
  return [
    `Slime Volleyball, step ${t} of ${maxSteps}. You are the ${viewer === 0 ? 'left' : 'right'} slime (seat ${viewer}).`,
    `Lives: you ${me.life}, your opponent ${them.life}. Your return so far: ${c.returns[viewer]}.`,
    "Your frame: x is the distance from the net toward your back wall (your half is x > 0, up to 22.5; the opponent's is x < 0); y is height, the ground is at y = 1.5.",
    bodyLine('You', me, dir, true),
    `${bodyLine('Ball', ball, dir, false)}, on ${side}, ${where}.${serve}`,
    bodyLine('Opponent', them, dir, true),
    'Choose one: [stay], [forward], [backward], [jump], [forward+jump], [backward+jump].',
  ].join('\n');
}
