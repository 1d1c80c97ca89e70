import { useEffect, useState } from 'react';
import { ApiError } from './api.ts';

export type Async<T> = { status: 'loading' } | { status: 'error'; error: ApiError } | { status: 'ok'; data: T };

export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<Async<T>>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    fn().then(
      (data) => live && setState({ status: 'ok', data }),
      (e: unknown) =>
        live && setState({ status: 'error', error: e instanceof ApiError ? e : new ApiError('UNKNOWN', '出现了意外错误，请刷新重试。', 0) }),
    );
    return () => {
      live = false;
    };
  }, deps);
  return state;
}
