/**
 * One holder across a cluster: a PostgreSQL session advisory lock (`pg_try_advisory_lock`)
 * held on a connection of its own, never a pooled one (a pooled query would lend the session,
 * and the lock with it, to another caller). The other processes try again every `retryMs`.
 * PostgreSQL frees the lock when its session ends, so when the holder dies (its socket closes)
 * the next try elsewhere takes it over; a holder whose connection fails hears `onLost`.
 * Locks are per database, so separate stores never contend.
 */
import pg from 'pg';

export interface AdvisoryLockHandlers {
  /** This process holds the lock now. */
  readonly onAcquired: () => void;
  /** It held the lock and lost its connection (so, maybe, the lock): stop acting as the holder. */
  readonly onLost: () => void;
  readonly onError?: (error: unknown) => void;
}

export const DEFAULT_LOCK_RETRY_MS = 1000;

export class AdvisoryLock {
  readonly name: string;
  private readonly databaseUrl: string;
  private readonly retryMs: number;
  private client: pg.Client | undefined;
  private held = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private handlers: AdvisoryLockHandlers | undefined;
  private attempt: Promise<void> | undefined;

  constructor(databaseUrl: string, name: string, retryMs = DEFAULT_LOCK_RETRY_MS) {
    this.databaseUrl = databaseUrl;
    this.name = name;
    this.retryMs = retryMs;
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** Tries now, then every `retryMs` until held (and again after a loss). */
  start(handlers: AdvisoryLockHandlers): void {
    this.handlers = handlers;
    this.tryNow();
  }

  /** Releases the lock (if held) and closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.attempt;
    const client = this.client;
    this.client = undefined;
    this.held = false;
    if (client === undefined) return;
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  private tryNow(): void {
    if (this.stopped || this.held) return;
    this.attempt = this.tryOnce()
      .catch((error: unknown) => {
        this.handlers?.onError?.(error);
        this.drop();
      })
      .finally(() => {
        this.attempt = undefined;
        if (!this.held && !this.stopped) this.schedule();
      });
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tryNow(), this.retryMs);
    this.timer.unref();
  }

  private async tryOnce(): Promise<void> {
    const client = this.client ?? (await this.connect());
    const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [this.name]);
    if (this.stopped || client !== this.client) return;
    if (result.rows[0]?.locked === true) {
      this.held = true;
      this.handlers?.onAcquired();
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.databaseUrl, keepAlive: true, application_name: `ludus lock ${this.name}`.slice(0, 63) });
    const lost = (): void => {
      if (this.client !== client) return;
      this.drop();
      this.schedule();
    };
    client.on('error', (error) => {
      this.handlers?.onError?.(error);
      lost();
    });
    client.on('end', lost);
    this.client = client;
    await client.connect();
    return client;
  }

  /** Forgets the connection; a holder hears onLost. */
  private drop(): void {
    const client = this.client;
    this.client = undefined;
    client?.end().catch(() => undefined);
    if (this.held) {
      this.held = false;
      this.handlers?.onLost();
    }
  }
}
