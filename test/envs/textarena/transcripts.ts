/**
 * Replays transcripts recorded from TextArena 0.6.4 and SPIRAL (test/envs/fixtures/textarena,
 * see its README) through a Ludus env and compares every observation byte for byte, every
 * verdict (valid or invalid reply) and the final rewards.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { AnyEnv } from '../../../envs/core/env.ts';
import { Episode } from '../../../envs/core/episode.ts';

export interface RecordedStep {
  readonly player: number;
  readonly observation: string;
  readonly reply: string;
  readonly valid: boolean;
  readonly done: boolean;
  readonly extracted?: string;
}

export interface Transcript {
  readonly name: string;
  readonly errorAllowance: number;
  readonly seed: number | null;
  readonly chance: readonly { round: number; cards: [number, number] }[];
  readonly steps: readonly RecordedStep[];
  readonly finalObservations: Readonly<Record<string, string>>;
  readonly rewards: Readonly<Record<string, number>>;
  readonly reason: string | null;
  readonly inventories?: readonly Record<string, number>[];
  readonly values?: readonly Record<string, number>[];
  readonly maxTurns?: number;
}

export function readTranscripts(file: string): readonly Transcript[] {
  const url = new URL(`../fixtures/textarena/${file}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { transcripts: Transcript[] }).transcripts;
}

/** Plays one transcript; `chance` supplies chance outcomes in order (e.g. the dealt cards). */
export function replayTranscript(env: AnyEnv, params: unknown, t: Transcript, chance: readonly number[] = []): Episode {
  const episode = new Episode(env, params, 0);
  let dealt = 0;
  const resolve = (): void => {
    while (episode.turn.kind === 'chance') {
      const next = chance[dealt++];
      expect(next, `${t.name}: ran out of recorded chance outcomes`).to.not.equal(undefined);
      episode.resolveChance(next);
    }
  };
  t.steps.forEach((step, i) => {
    resolve();
    const at = `${t.name} step ${i} (player ${step.player})`;
    expect(episode.turn, at).to.deep.equal({ kind: 'decision', seat: step.player });
    expect(env.observationText(episode.state, step.player), `${at}: observation`).to.equal(step.observation);
    const verdict = episode.stepText(step.player, step.reply);
    expect(verdict.kind, `${at}: verdict on ${JSON.stringify(step.reply)}`).to.equal(step.valid ? 'move' : 'invalid');
    resolve();
    expect(episode.isTerminal, `${at}: done`).to.equal(step.done);
  });
  expect(episode.isTerminal, `${t.name}: ends`).to.equal(true);
  for (const [seat, text] of Object.entries(t.finalObservations)) {
    expect(env.observationText(episode.state, Number(seat)), `${t.name}: final observation of player ${seat}`).to.equal(text);
  }
  expect(episode.returns, `${t.name}: rewards`).to.deep.equal([t.rewards['0'], t.rewards['1']]);
  const replayed = Episode.replay(env, JSON.parse(JSON.stringify(episode.toRecord())));
  expect(replayed.state, `${t.name}: Episode.replay`).to.deep.equal(episode.state);
  return episode;
}
