/**
 * Seats with their league kind (anchor, learner, snapshot, external, human ...): the match's
 * agentIds joined with its league's members when the summary names the league.
 */
import { getJson, q } from './api.ts';
import type { SeatInfo } from './components/players.tsx';
import { useData } from './use-data.ts';

interface SummaryLike {
  readonly seats: readonly { readonly seat: number; readonly agentId: string | null }[];
  readonly league?: string | null | undefined;
}

interface MemberLike {
  readonly agentId: string;
  readonly kind?: string;
  readonly anchor?: boolean;
}

export function kindOf(agentId: string | null, members: readonly MemberLike[]): string | undefined {
  if (agentId === null) return undefined;
  if (agentId.startsWith('human:')) return 'human';
  const member = members.find((m) => m.agentId === agentId);
  if (!member) return undefined;
  if (member.anchor) return 'anchor';
  return member.kind;
}

export function useSeatKinds(summary: SummaryLike | undefined): SeatInfo[] {
  const league = summary?.league ?? undefined;
  const members = useData(`members:${league ?? ''}`, (signal) =>
    league
      ? getJson<{ members: MemberLike[] }>(`/api/league/members${q({ league })}`, undefined, signal).then((r) => r.members)
      : Promise.resolve([] as MemberLike[]),
  );
  return (summary?.seats ?? []).map((s) => ({ seat: s.seat, agentId: s.agentId, kind: kindOf(s.agentId, members.data ?? []) }));
}
