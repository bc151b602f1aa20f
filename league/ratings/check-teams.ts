/** Shared validation of a team match (Elo team updates and OpenSkill). */
import { RatingError } from './rating-error.ts';

/** At least 2 non-empty teams, no agent twice, one finite rank or score per team. */
export function checkTeams(teams: readonly (readonly string[])[], results: readonly number[]): void {
  if (teams.length < 2 || results.length !== teams.length) {
    throw new RatingError('bad-match', `${teams.length} teams and ${results.length} ranks or scores`, 'pass at least 2 teams and one rank or score per team');
  }
  const seen = new Set<string>();
  for (const team of teams) {
    if (team.length === 0) throw new RatingError('bad-match', 'a team has no members', 'every team needs at least one agentId');
    for (const id of team) {
      if (seen.has(id)) throw new RatingError('bad-match', `agent "${id}" appears twice in one match`, 'an agent can fill one seat per rated match');
      seen.add(id);
    }
  }
  if (!results.every(Number.isFinite)) {
    throw new RatingError('bad-match', `ranks or scores [${results.join(', ')}] are not all finite`, 'give one number per team');
  }
}
