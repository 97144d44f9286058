import { act, renderHook, waitFor } from '@testing-library/react';
import { useLoadable } from './use-loadable';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('useLoadable', () => {
  it('when the load answers, then it goes from loading to ready with the value', async () => {
    const load = jest.fn(() => Promise.resolve(['a']));
    const { result } = renderHook(() => useLoadable(load));
    expect(result.current.state).toEqual({ state: 'loading' });
    await waitFor(() => expect(result.current.state).toEqual({ state: 'ready', value: ['a'] }));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('when the load fails, then it keeps the error, and reload shows loading and loads again', async () => {
    const err = new Error('boom');
    const load = jest.fn<Promise<number>, []>().mockRejectedValueOnce(err).mockResolvedValueOnce(7);
    const { result } = renderHook(() => useLoadable(load));
    await waitFor(() => expect(result.current.state).toEqual({ state: 'failed', error: err }));
    act(() => result.current.reload());
    expect(result.current.state).toEqual({ state: 'loading' });
    await waitFor(() => expect(result.current.state).toEqual({ state: 'ready', value: 7 }));
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('when a value is set (after a save), then a load still under way does not overwrite it', async () => {
    const pending = deferred<string>();
    const load = () => pending.promise;
    const { result } = renderHook(() => useLoadable(load));
    act(() => result.current.set('saved'));
    await act(async () => {
      pending.resolve('stale');
      await pending.promise;
    });
    expect(result.current.state).toEqual({ state: 'ready', value: 'saved' });
  });

  it('when the screen is gone before the answer, then nothing is set', async () => {
    const pending = deferred<string>();
    const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
    const load = () => pending.promise;
    const { result, unmount } = renderHook(() => useLoadable(load));
    unmount();
    await act(async () => {
      pending.resolve('late');
      await pending.promise;
    });
    expect(result.current.state).toEqual({ state: 'loading' });
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});
