/**
 * Where deal seeds come from. A seed nobody gave is drawn from the OS's secure random source:
 * a counter (1, 2, 3, ...) let one public replay predict the next deal. A live league's seeds
 * are an HMAC of the league's secret salt (kept in the store, never served), its name and the
 * match number: the operator can reproduce every deal, nobody else can derive one.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** Seeds are unsigned 32-bit (the HTTP API's range). */
export const randomSeed = (): number => randomBytes(4).readUInt32BE(0);

export function leagueMatchSeed(salt: string, league: string, matchIndex: number): number {
  return createHmac('sha256', salt).update(`ludus-league-deal\u0000${league}\u0000${matchIndex}`).digest().readUInt32BE(0);
}
