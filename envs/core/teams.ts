/**
 * Teams (issue 13): an env declares each seat's team in `dims.teams`; without it every seat
 * is a team of its own. Everything above the env (forfeits, ratings, standings) asks these
 * helpers instead of reading `dims.teams` directly, so team-less envs need no special case.
 */
import type { EnvDims, Seat } from './env.ts';

/** The team of a seat: `dims.teams[seat]`, or the seat itself when the env has no teams. */
export function teamOf(dims: EnvDims, seat: Seat): number {
  return dims.teams ? (dims.teams[seat] ?? seat) : seat;
}

/** Number of teams (numPlayers when the env has no teams). */
export function numTeams(dims: EnvDims): number {
  return dims.teams ? new Set(dims.teams).size : dims.numPlayers;
}

/**
 * The side a member is drawn for when a learner meets others (training episodes, evaluation):
 * its team when the env has two or more teams (a drawn member fills a whole team), else its
 * seat. A one-team cooperative env (Overcooked) thus pairs partners seat by seat; taken as one
 * team, the learner would fill every seat and never meet its partner.
 */
export function sideOf(dims: EnvDims, seat: Seat): number {
  return numTeams(dims) > 1 ? teamOf(dims, seat) : seat;
}

/** Number of sides (see `sideOf`): the teams when there are two or more, else the seats. */
export function numSides(dims: EnvDims): number {
  const teams = numTeams(dims);
  return teams > 1 ? teams : dims.numPlayers;
}

/** Seats of every team, indexed by team id, each list ascending. */
export function teamSeats(dims: EnvDims): Seat[][] {
  const teams: Seat[][] = Array.from({ length: numTeams(dims) }, () => []);
  for (let seat = 0; seat < dims.numPlayers; seat++) teams[teamOf(dims, seat)]?.push(seat);
  return teams;
}

/** Seats on the same team as `seat`, itself included. */
export function teammates(dims: EnvDims, seat: Seat): Seat[] {
  const team = teamOf(dims, seat);
  const seats: Seat[] = [];
  for (let s = 0; s < dims.numPlayers; s++) if (teamOf(dims, s) === team) seats.push(s);
  return seats;
}
