/**
 * One writer per store directory: `ludus.lock`, created with O_EXCL and holding the owner's pid
 * and host. A second server (or league run) on the same store refuses with 'store-locked'
 * before it touches anything (it must not, for one, mark the first one's live matches
 * aborted). A lock whose process is gone (a crash, `kill -9`) is stale and taken over.
 * Readers (standings, exports) never lock: SQLite's WAL lets them read beside the writer.
 */
import { randomBytes } from 'node:crypto';
import { openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LudusError } from '../../envs/index.ts';

export const LOCK_FILE = 'ludus.lock';

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly nonce: string;
  readonly since: string;
}

export class StoreLockedError extends LudusError<'store-locked'> {
  readonly holder: LockInfo | undefined;

  constructor(dir: string, holder: LockInfo | undefined) {
    const who = holder === undefined ? 'another process' : `process ${holder.pid} on ${holder.host} (since ${holder.since})`;
    super(
      'store-locked',
      `the store at ${dir} is in use by ${who}`,
      `stop that server or league run, or use another --store; if no such process runs, delete ${join(dir, LOCK_FILE)}`,
    );
    this.name = 'StoreLockedError';
    this.holder = holder;
  }
}

export interface StoreLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

/** Lock files this process holds (a second store on the same dir in this process is refused too). */
const held = new Map<string, string>();
let exitHookInstalled = false;

export function acquireStoreLock(dir: string): StoreLock {
  const path = join(dir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: hostname(), nonce: randomBytes(12).toString('hex'), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(info));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(path);
      if (attempt > 0 || isAlive(holder, path)) throw new StoreLockedError(dir, holder);
      removeIfSame(path, holder); // stale: its process is gone
    }
  }
  held.set(path, info.nonce);
  installExitHook();
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      held.delete(path);
      removeIfSame(path, info);
    },
  };
}

function readLock(path: string): LockInfo | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.nonce === 'string') return parsed as LockInfo;
  } catch {
    // unreadable or half-written: a holder that is starting up right now
  }
  return undefined;
}

function isAlive(holder: LockInfo | undefined, path: string): boolean {
  if (holder === undefined) return true; // cannot tell: never steal
  if (holder.host !== hostname()) return true; // another machine's process: cannot check
  if (holder.pid === process.pid) return held.get(path) === holder.nonce; // a store this process still holds
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
  }
}

function removeIfSame(path: string, expected: LockInfo | undefined): void {
  const current = readLock(path);
  if (expected !== undefined && current?.nonce !== expected.nonce) return;
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** A process that exits without closing its store (an uncaught error) leaves no lock behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [path, nonce] of held) {
      if (readLock(path)?.nonce === nonce) {
        try {
          unlinkSync(path);
        } catch {
          /* gone */
        }
      }
    }
  });
}
