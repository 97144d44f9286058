import { useCallback, useEffect, useRef, useState } from 'react';
import type { Loaded } from './PageState';

/**
 * Loads a screen's value with `load` (again whenever `load` changes: wrap it in useCallback) and
 * keeps its state; `reload` shows loading and loads again, `set` replaces the value (after a save).
 * A result that arrives after the screen is gone, or after a newer load started, is dropped.
 */
export function useLoadable<T>(load: () => Promise<T>) {
  const [state, setState] = useState<Loaded<T>>({ state: 'loading' });
  const latest = useRef(0);

  const run = useCallback(async () => {
    const ticket = ++latest.current;
    let next: Loaded<T>;
    try {
      next = { state: 'ready', value: await load() };
    } catch (error) {
      next = { state: 'failed', error };
    }
    if (ticket === latest.current) setState(next);
  }, [load]);

  useEffect(() => {
    // Not a DOM ref: bumping the counter on the way out drops the load still under way.
    const counter = latest;
    void run();
    return () => {
      counter.current++;
    };
  }, [run]);

  const reload = useCallback(() => {
    setState({ state: 'loading' });
    void run();
  }, [run]);
  const set = useCallback((value: T) => {
    latest.current++;
    setState({ state: 'ready', value });
  }, []);

  return { state, reload, set };
}
