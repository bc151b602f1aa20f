/** Small data hooks: a fetch that reloads when its key changes, and polling. */
import { useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly loading: boolean;
  reload(): void;
}

/** Runs `load` when `key` changes (and every `pollMs` when given); keeps the last data while reloading. */
export function useData<T>(key: string, load: (signal: AbortSignal) => Promise<T>, pollMs?: number): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    load(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) {
          setData(value);
          setError(undefined);
          setLoading(false);
        }
      },
      (err: unknown) => {
        if (!controller.signal.aborted) {
          setError(err instanceof Error ? err : new Error(String(err)));
          setLoading(false);
        }
      },
    );
    const timer = pollMs === undefined ? undefined : setTimeout(() => setTick((t) => t + 1), pollMs);
    return () => {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [key, tick]);
  useEffect(() => {
    setData(undefined);
  }, [key]);
  return { data, error, loading, reload: () => setTick((t) => t + 1) };
}
