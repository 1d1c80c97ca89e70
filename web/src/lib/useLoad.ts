/**
 * The one hook for data a page loads from the API. `fetch` runs on mount and whenever `deps`
 * change; an answer is dropped when a newer fetch was started since (inputs changed, or `reload`)
 * or the component is gone, so a slow answer never replaces a newer one.
 *
 * - `status` is 'loading' until the first answer, 'error' when the latest fetch failed, else 'ok'.
 * - `data` is the latest answer; when `deps` change it is cleared (back to 'loading'), unless
 *   `keep`: then what is shown (data and error) stays until the new answer replaces it.
 * - `reload()` fetches again, keeping what is shown meanwhile; it resolves with the data, or null
 *   when it failed or was overtaken. `setData` replaces the data (an action's answer).
 * - `error` is an ApiError: its message is the server's, in Chinese, for ErrorBox.
 * - The result is one object per state (like a useState value), so it can be an effect's dependency.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DependencyList } from 'react';
import { ApiError, asApiError } from './api.ts';

type State<T> = { has: boolean; data: T | null; error: ApiError | null; loading: boolean };

export type Load<T> = (
  { status: 'loading'; data: T | null; error: null } | { status: 'error'; data: T | null; error: ApiError } | { status: 'ok'; data: T; error: null }
) & {
  /** A fetch is in flight (the first one, a reload, or one for new deps). */
  loading: boolean;
  reload: () => Promise<T | null>;
  setData: (data: T | ((prev: T | null) => T)) => void;
};

export function useLoad<T>(fetch: () => Promise<T>, deps: DependencyList, { keep = false }: { keep?: boolean } = {}): Load<T> {
  const [state, setState] = useState<State<T>>({ has: false, data: null, error: null, loading: true });
  const seq = useRef(0);
  const latest = useRef(fetch);
  latest.current = fetch;

  const run = useCallback(async (): Promise<T | null> => {
    const mine = ++seq.current;
    setState((s) => (s.loading ? s : { ...s, loading: true }));
    try {
      const data = await latest.current();
      if (mine !== seq.current) return null;
      setState({ has: true, data, error: null, loading: false });
      return data;
    } catch (e) {
      if (mine !== seq.current) return null;
      setState((s) => ({ ...s, error: asApiError(e), loading: false }));
      return null;
    }
  }, []);

  useEffect(() => {
    if (!keep) setState({ has: false, data: null, error: null, loading: true });
    void run();
    return () => {
      seq.current++; // inputs changed or the component is gone: drop the answer in flight
    };
  }, deps);

  const setData = useCallback((d: T | ((prev: T | null) => T)) => {
    setState((s) => ({ ...s, has: true, data: typeof d === 'function' ? (d as (prev: T | null) => T)(s.data) : d }));
  }, []);

  // One object per state, so that effects that depend on the whole result run when it changes only.
  return useMemo((): Load<T> => {
    const common = { loading: state.loading, reload: run, setData };
    if (state.error) return { status: 'error', data: state.data, error: state.error, ...common };
    if (state.has) return { status: 'ok', data: state.data as T, error: null, ...common };
    return { status: 'loading', data: state.data, error: null, ...common };
  }, [state, run, setData]);
}
