/**
 * Counts a process's system calls over a window with `perf stat` (Linux tracepoints; needs
 * perf and the right to trace the process, e.g. root). bench:arena uses it to count the
 * server's `writev` calls per decision: one per small message unless a socket's messages of
 * one event-loop turn go out together. Where perf is missing or refused, `start` resolves
 * undefined and the bench reports null.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export const COUNTED_SYSCALLS = ['writev', 'write', 'read', 'epoll_pwait'] as const;
export type SyscallCounts = Record<(typeof COUNTED_SYSCALLS)[number], number>;

const EVENTS = COUNTED_SYSCALLS.map((name) => `syscalls:sys_enter_${name}`);

export class SyscallCounter {
  private readonly perf: ChildProcess;
  private readonly output: Promise<string>;

  private constructor(perf: ChildProcess) {
    this.perf = perf;
    let text = '';
    perf.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    this.output = new Promise((resolve) => perf.once('exit', () => resolve(text)));
  }

  /** Starts counting the calls of `pid`; undefined when perf cannot trace them here. */
  static start(pid: number): SyscallCounter | undefined {
    const probe = spawnSync('perf', ['stat', '-x', ',', '-e', EVENTS[0]!, 'true'], { encoding: 'utf8' });
    if (probe.status !== 0) return undefined;
    return new SyscallCounter(spawn('perf', ['stat', '-x', ',', '-e', EVENTS.join(','), '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] }));
  }

  /** Stops counting; resolves with the calls per name (undefined if perf printed none). */
  async stop(): Promise<SyscallCounts | undefined> {
    this.perf.kill('SIGINT');
    const text = await this.output;
    const counts: Partial<SyscallCounts> = {};
    for (const line of text.split('\n')) {
      const [value, , event] = line.split(',');
      const name = COUNTED_SYSCALLS.find((n) => event === `syscalls:sys_enter_${n}`);
      if (name !== undefined && value !== undefined && /^\d+$/.test(value)) counts[name] = Number(value);
    }
    return COUNTED_SYSCALLS.every((n) => counts[n] !== undefined) ? (counts as SyscallCounts) : undefined;
  }
}
