/**
 * The Colyseus room registry of this process, indexed. Colyseus' LocalDriver keeps rooms in a
 * list: every `joinOrCreate('match', { matchId })` copies and filters the whole list, and every
 * disposed room is found by a scan, so each match paid for every other live match. Here rooms
 * are looked up by id, by the `matchId` they were created for (the match room's `filterBy`),
 * or by room name; the filter and sort rules are Colyseus' own (a field on the listing or in
 * its metadata must equal the condition; sort fields likewise).
 */
import type { IRoomCache, MatchMakerDriver, SortOptions } from '@colyseus/core';

type Listing = IRoomCache;
type Conditions = Partial<IRoomCache> & Record<string, unknown>;

/** A condition's value on a listing: its own field, else its metadata's; `missing` when neither has it. */
const missing = Symbol('missing');
function fieldOf(room: Listing, field: string): unknown {
  if (Object.hasOwn(room, field)) return (room as unknown as Record<string, unknown>)[field];
  const metadata = room.metadata as Record<string, unknown> | undefined;
  return metadata !== undefined && metadata !== null && Object.hasOwn(metadata, field) ? metadata[field] : missing;
}

function matches(room: Listing, conditions: Conditions): boolean {
  for (const field of Object.keys(conditions)) if (fieldOf(room, field) !== conditions[field]) return false;
  return true;
}

function sorted(rooms: Listing[], sort: SortOptions | undefined): Listing[] {
  const fields = Object.entries(sort ?? {});
  if (fields.length === 0) return rooms;
  return rooms.sort((a, b) => {
    for (const [field, direction] of fields) {
      const [x, y] = [fieldOf(a, field), fieldOf(b, field)] as [number | string, number | string];
      if (x === y || (x as unknown) === missing) continue;
      const ascending = direction === 1 || direction === 'asc' || direction === 'ascending';
      if (x > y) return ascending ? 1 : -1;
      if (x < y) return ascending ? -1 : 1;
    }
    return 0;
  });
}

export class IndexedRoomDriver implements MatchMakerDriver {
  private readonly byId = new Map<string, Listing>();
  private readonly byMatch = new Map<unknown, Set<Listing>>();
  private readonly byName = new Map<string, Set<Listing>>();
  /** The keys each listing was indexed under (Colyseus may edit a listing in place). */
  private readonly keys = new Map<Listing, { readonly roomId: string; readonly name: string; readonly matchId: unknown }>();

  has(roomId: string): boolean {
    return this.byId.has(roomId);
  }

  query(conditions: Conditions, sortOptions?: SortOptions): Listing[] {
    return sorted(
      this.candidates(conditions).filter((room) => matches(room, conditions)),
      sortOptions,
    );
  }

  async cleanup(processId: string): Promise<void> {
    for (const room of this.query({ processId })) this.remove(room.roomId);
  }

  async findOne(conditions: Conditions, sortOptions?: SortOptions): Promise<Listing> {
    // Colyseus reads `undefined` as "no such room".
    return this.query(conditions, sortOptions)[0] as Listing;
  }

  async findByIds(roomIds: string[]): Promise<Map<string, Listing>> {
    const found = new Map<string, Listing>();
    for (const roomId of roomIds) {
      const room = this.byId.get(roomId);
      if (room !== undefined) found.set(roomId, room);
    }
    return found;
  }

  update(room: Listing, operations: Partial<{ $set: Partial<Listing>; $inc: Partial<Listing> }>): boolean {
    const indexed = this.keys.has(room);
    if (indexed) this.unindex(room);
    const target = room as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(operations.$set ?? {})) target[field] = value;
    for (const [field, value] of Object.entries(operations.$inc ?? {})) target[field] = (target[field] as number) + (value as number);
    if (indexed) this.index(room);
    return true;
  }

  async insert(room: Listing): Promise<boolean> {
    if (this.byId.has(room.roomId)) return false;
    this.index(room);
    return true;
  }

  persist(room: Listing, create = false): boolean {
    if (!create) return false;
    this.index(room);
    return true;
  }

  remove(roomId: string): boolean {
    const room = this.byId.get(roomId);
    if (room === undefined) return false;
    this.unindex(room);
    return true;
  }

  clear(): void {
    this.byId.clear();
    this.byMatch.clear();
    this.byName.clear();
    this.keys.clear();
  }

  shutdown(): void {}

  /** The rooms that can meet the conditions, from the narrowest index they name. */
  private candidates(conditions: Conditions): Listing[] {
    if (typeof conditions.roomId === 'string') {
      const room = this.byId.get(conditions.roomId);
      return room === undefined ? [] : [room];
    }
    if (conditions['matchId'] !== undefined) return [...(this.byMatch.get(conditions['matchId']) ?? [])];
    if (typeof conditions.name === 'string') return [...(this.byName.get(conditions.name) ?? [])];
    return [...this.byId.values()];
  }

  private index(room: Listing): void {
    const keys = { roomId: room.roomId, name: room.name, matchId: fieldOf(room, 'matchId') };
    this.keys.set(room, keys);
    this.byId.set(keys.roomId, room);
    addTo(this.byName, keys.name, room);
    if (keys.matchId !== missing) addTo(this.byMatch, keys.matchId, room);
  }

  private unindex(room: Listing): void {
    const keys = this.keys.get(room);
    if (keys === undefined) return;
    this.keys.delete(room);
    this.byId.delete(keys.roomId);
    removeFrom(this.byName, keys.name, room);
    if (keys.matchId !== missing) removeFrom(this.byMatch, keys.matchId, room);
  }
}

function addTo<K>(map: Map<K, Set<Listing>>, key: K, room: Listing): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(room);
}

function removeFrom<K>(map: Map<K, Set<Listing>>, key: K, room: Listing): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(room);
  if (set.size === 0) map.delete(key);
}
