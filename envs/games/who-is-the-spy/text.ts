/**
 * who-is-the-spy text: a role prompt per seat (rules, role, secret; ready to be a system
 * prompt) and the observation (the role prompt, the public history, and what to do now).
 * Players are numbered from 1 in text, as in Vision-Zero. Another seat's secret, the spies
 * and the votes of the round in progress are never shown before the end.
 */
import type { Seat, Viewer } from '../../core/env.ts';
import { pairOf, secretOf } from './flow.ts';
import { actorOf, clueRoundsOf, isSpy, maxRoundsOf, revealsRoles, type SpyState, type Vote } from './rules.ts';
import { returnsOf } from './rewards.ts';

const name = (seat: Seat): string => `Player ${seat + 1}`;

export function rulesLine(s: SpyState): string {
  const n = s.alive.length;
  const spies = s.params.spies === 1 ? 'one player is the spy' : `${s.params.spies} players are spies`;
  const common =
    `${n} players (${name(0)} to ${name(n - 1)}). Most players share a secret word; ${spies}, holding a similar but different word` +
    `${s.params.blankSpy ? ' (here: no word at all)' : ''}. Players speak in turn, one clue each: a single line that describes your word ` +
    `without saying it and without repeating any earlier clue (at most ${s.params.maxClueChars} characters), written inside \\boxed{}.`;
  if (s.params.mode === 'vision-zero') {
    return (
      `${common} After ${clueRoundsOf(s.params)} rounds of clues everyone votes once for the player they think is the spy, ` +
      'answering \\boxed{k} for Player k, or \\boxed{N/A}. Civilians score by naming the spy and lose points for votes against them; ' +
      'the spy scores by escaping votes and by misleading the others, and must not vote for itself.'
    );
  }
  return (
    `${common} After each round of clues everyone votes, answering \\boxed{k} for Player k (not yourself) or \\boxed{N/A}; ` +
    'the most-voted player is out and their role is revealed (a tie eliminates nobody). Civilians win when no spy is left; ' +
    `the spies win when they are at least as many as the civilians, or if they survive ${maxRoundsOf(s.params)} rounds.`
  );
}

/** The seat's role and secret, in the second person. */
function roleLines(s: SpyState, seat: Seat): string[] {
  const secret = secretOf(s, seat);
  const word = secret === null ? 'You have no secret word.' : `Your secret word is: ${secret}`;
  if (!revealsRoles(s.params)) {
    if (secret === null) return [word, 'You are the spy: listen to the clues, work out the word, and blend in.'];
    return [word, 'You are not told whether you are a civilian or the spy: if the clues of others seem to fit a different word, you may be the spy.'];
  }
  if (isSpy(s, seat)) return ['You are the spy.', word, 'The others share a similar but different word: blend in, and do not vote for yourself.'];
  return ['You are a civilian.', word, 'Find the spy, whose word is similar but different.'];
}

/** System-prompt-ready text for one seat: rules, role and secret. */
export function rolePrompt(s: SpyState, seat: Seat): string {
  if (s.phase === 'setup') return `You are ${name(seat)} in a game of Who is the spy. ${rulesLine(s)}`;
  return [`You are ${name(seat)} in a game of Who is the spy. ${rulesLine(s)}`, ...roleLines(s, seat)].join('\n');
}

const voteText = (v: Vote | null): string => (v === null ? 'no vote' : v === 'na' ? 'N/A' : v === 'invalid' ? 'invalid vote' : name(v));

function historyLines(s: SpyState, viewer: Viewer): string[] {
  const lines: string[] = [];
  let clueKey = '';
  let result = 0;
  const flushVotes = (upTo: number): void => {
    while (result < s.results.length && result < upTo) {
      const r = s.results[result]!;
      const cast = r.votes.flatMap((v, seat) => (v === null ? [] : [`${name(seat)} -> ${voteText(v)}`]));
      lines.push(`Votes: ${cast.join(', ')}`);
      if (s.params.mode === 'classic') {
        lines.push(
          r.eliminated === null
            ? 'Nobody was voted out (no single most-voted player).'
            : `${name(r.eliminated)} was voted out; they were ${isSpy(s, r.eliminated) ? 'a spy' : 'a civilian'}.`,
        );
      }
      result++;
    }
  };
  for (const c of s.clues) {
    flushVotes(c.round);
    const key = `${c.round}/${c.clueRound}`;
    if (key !== clueKey) {
      lines.push(s.params.mode === 'classic' ? `Round ${c.round + 1} clues:` : `Clue round ${c.clueRound + 1}:`);
      clueKey = key;
    }
    if (c.text !== null) lines.push(`${name(c.seat)}: ${c.text}`);
    else if (s.disqualified[c.seat] && s.params.mode === 'classic')
      lines.push(`${name(c.seat)}: (no valid clue; disqualified, they were ${isSpy(s, c.seat) ? 'a spy' : 'a civilian'})`);
    else lines.push(`${name(c.seat)}: (no valid clue)`);
  }
  flushVotes(s.results.length);
  if (viewer !== 'spectator' && s.phase === 'vote' && s.votes[viewer] !== undefined && s.votes[viewer] !== null) {
    lines.push(`You voted: ${voteText(s.votes[viewer]!)}`);
  }
  return lines;
}

function statusLine(s: SpyState, viewer: Viewer): string {
  if (s.phase === 'setup') return 'Waiting for the secret words to be dealt.';
  if (s.phase === 'over') {
    const spies = s.spySeats.map(name).join(', ');
    const pair = pairOf(s);
    const civ = s.swap ? 1 : 0;
    const words = `The civilians' word was ${pair[civ]}; the spies ${s.params.blankSpy ? 'had no word' : `had ${pair[1 - civ]}`}.`;
    const head = `Game over. ${s.spySeats.length > 1 ? 'The spies were' : 'The spy was'} ${spies}. ${words} ${s.winner === 'civilians' ? 'The civilians' : 'The spies'} win.`;
    const own = viewer === 'spectator' ? '' : ` Your reward: ${returnsOf(s)[viewer]}.`;
    return `${head}${own}`;
  }
  const actor = actorOf(s)!;
  if (viewer !== actor) return `Waiting for ${name(actor)} to ${s.phase === 'clue' ? 'give a clue' : 'vote'}.`;
  const rejected = s.rejected?.seat === viewer ? `Your last reply was rejected: ${s.rejected.reason}. Try again. ` : '';
  if (s.phase === 'clue') {
    return `${rejected}Your turn: give your clue, one line inside \\boxed{}, that fits your word without saying it and repeats no earlier clue.`;
  }
  return `${rejected}Your turn to vote: answer \\boxed{k} for the player k you think is the spy, or \\boxed{N/A}.`;
}

export function observationText(s: SpyState, viewer: Viewer): string {
  const head =
    viewer === 'spectator'
      ? `Who is the spy, watched. ${rulesLine(s)}${s.phase === 'over' ? '' : ' The secret words and the spies are hidden from you.'}`
      : rolePrompt(s, viewer);
  const history = historyLines(s, viewer);
  return [head, ...(history.length ? ['', ...history] : []), '', statusLine(s, viewer)].join('\n');
}
