/**
 * Loading API data in a component: the value, the error, a loading flag and a reload function.
 * A newer request supersedes an older one, so a slow answer never overwrites a fresh one.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Page } from './api';

/** The state of one request. */
export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  loading: boolean;
  reload(): void;
}

/** Fetches `path` (skipped while null) and re-fetches when it changes. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: path !== null });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    if (path === null) {
      setState({ loading: false });
      return;
    }
    const n = ++seq.current;
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api<T>(path, { signal: ctl.signal }).then(
      (data) => n === seq.current && setState({ data, loading: false }),
      (error: Error) => n === seq.current && error.name !== 'AbortError' && setState({ error, loading: false }),
    );
    return () => ctl.abort();
  }, [path, tick]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** A keyset-paginated list: the pages loaded so far and a function to load the next one. */
export function usePagedApi<T>(path: string | null): Loaded<T[]> & { more: (() => void) | null } {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const load = useCallback(
    (after: string | null, reset: boolean) => {
      if (path === null) return;
      const n = ++seq.current;
      setLoading(true);
      const sep = path.includes('?') ? '&' : '?';
      api<Page<T>>(after ? `${path}${sep}cursor=${encodeURIComponent(after)}` : path).then(
        (page) => {
          if (n !== seq.current) return;
          setItems((prev) => (reset ? page.items : [...prev, ...page.items]));
          setCursor(page.nextCursor);
          setError(undefined);
          setLoading(false);
        },
        (e: Error) => {
          if (n !== seq.current) return;
          setError(e);
          setLoading(false);
        },
      );
    },
    [path],
  );
  useEffect(() => {
    setItems([]);
    setCursor(null);
    load(null, true);
  }, [load, tick]);
  return {
    data: path === null ? undefined : items,
    error,
    loading,
    reload: () => setTick((x) => x + 1),
    more: cursor ? () => load(cursor, false) : null,
  };
}
