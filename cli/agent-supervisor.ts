/**
 * Runs a set of agent processes (`ludus agent ...` children) for `ludus start`: each child's
 * output is passed on line by line with its agentId in front, a child that dies is started
 * again after a growing delay (1 s, 2 s, 4 s ... 30 s; reset after a minute of good health),
 * and `stop()` asks every child to finish (SIGTERM) before it kills what is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface SupervisedProcess {
  /** Shown in front of every output line. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Added to the parent's environment (e.g. LUDUS_AGENT_TOKEN: kept out of `ps`). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Its own process group: a terminal's Ctrl-C reaches only the parent, which then stops the
   * child with one SIGTERM (a second signal would make a server stop without closing).
   */
  readonly detached?: boolean;
}

export interface AgentSupervisorOptions {
  readonly log?: (line: string) => void;
  /** First restart delay in ms; doubles up to `maxDelayMs`. Default 1000. */
  readonly restartDelayMs?: number;
  readonly maxDelayMs?: number;
  /** After SIGTERM, how long a child may take to finish before SIGKILL. Default 5000 ms. */
  readonly stopGraceMs?: number;
}

interface Slot {
  readonly spec: SupervisedProcess;
  child: ChildProcess | undefined;
  delayMs: number;
  startedAt: number;
  restarts: number;
  timer: NodeJS.Timeout | undefined;
}

const HEALTHY_MS = 60_000;

export class AgentSupervisor {
  private readonly slots: Slot[];
  private readonly options: AgentSupervisorOptions;
  private stopping = false;

  constructor(processes: readonly SupervisedProcess[], options: AgentSupervisorOptions = {}) {
    this.options = options;
    this.slots = processes.map((spec) => ({ spec, child: undefined, delayMs: this.firstDelay(), startedAt: 0, restarts: 0, timer: undefined }));
  }

  start(): void {
    for (const slot of this.slots) this.launch(slot);
  }

  /** Restarts per process so far, by name. */
  restarts(): Record<string, number> {
    return Object.fromEntries(this.slots.map((s) => [s.spec.name, s.restarts]));
  }

  /** Running children's pids (undefined while a child waits to be restarted). */
  pids(): (number | undefined)[] {
    return this.slots.map((s) => s.child?.pid);
  }

  /** Names of the processes waiting for a restart (their timer is set). */
  waiting(): string[] {
    return this.slots.filter((s) => s.timer !== undefined).map((s) => s.spec.name);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.slots.map((slot) => this.stopSlot(slot)));
  }

  private firstDelay(): number {
    return this.options.restartDelayMs ?? 1000;
  }

  private log(line: string): void {
    (this.options.log ?? console.log)(line);
  }

  private launch(slot: Slot): void {
    slot.timer = undefined;
    if (this.stopping) return;
    const { spec } = slot;
    const child = spawn(spec.command, spec.args, {
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(spec.detached ? { detached: true } : {}),
    });
    slot.child = child;
    slot.startedAt = Date.now();
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => this.log(`[${spec.name}] ${line}`));
    }
    child.on('error', (error) => this.log(`[${spec.name}] could not start: ${error.message}`));
    child.on('exit', (code, signal) => this.onExit(slot, child, code, signal));
  }

  private onExit(slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (slot.child !== child) return;
    slot.child = undefined;
    if (this.stopping) return;
    if (Date.now() - slot.startedAt > HEALTHY_MS) slot.delayMs = this.firstDelay();
    const how = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
    this.log(`[${slot.spec.name}] ${how}; restarting in ${(slot.delayMs / 1000).toFixed(1)} s`);
    slot.restarts++;
    slot.timer = setTimeout(() => this.launch(slot), slot.delayMs);
    slot.delayMs = Math.min(slot.delayMs * 2, this.options.maxDelayMs ?? 30_000);
  }

  private async stopSlot(slot: Slot): Promise<void> {
    if (slot.timer !== undefined) clearTimeout(slot.timer);
    slot.timer = undefined;
    const child = slot.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const grace = setTimeout(() => child.kill('SIGKILL'), this.options.stopGraceMs ?? 5000);
    await exited;
    clearTimeout(grace);
  }
}
