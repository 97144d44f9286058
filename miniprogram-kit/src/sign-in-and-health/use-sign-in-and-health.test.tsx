import { act, renderHook, waitFor } from '@testing-library/react';
import { ApiError, type Health, type LoginResponse, type User } from '@ygsa/shared';
import { useSignInAndHealth, type SignInAndHealthClient } from './use-sign-in-and-health';

const user = { id: 'u1', roles: ['diner'] } as unknown as User;
const health = { api: { version: '1' }, database: { status: 'ok', latencyMs: 1 } } as unknown as Health;

function client(signIn: SignInAndHealthClient['signIn'], healthCall: () => Promise<Health>) {
  return { signIn: jest.fn(signIn), api: { health: jest.fn(healthCall) } };
}

describe('useSignInAndHealth', () => {
  it('when both answer, then it goes from loading to the user and the health', async () => {
    const c = client(
      () => Promise.resolve({ user } as LoginResponse),
      () => Promise.resolve(health),
    );
    const { result } = renderHook(() => useSignInAndHealth(c));
    expect(result.current.user).toEqual({ state: 'loading' });
    expect(result.current.health).toEqual({ state: 'loading' });
    await waitFor(() => expect(result.current.user).toEqual({ state: 'ready', value: user }));
    expect(result.current.health).toEqual({ state: 'ready', value: health });
    expect(c.signIn).toHaveBeenCalledWith(false);
  });

  it('when both fail, then each keeps its message (a non-error gets the general one)', async () => {
    const c = client(
      () => Promise.reject(new ApiError('NETWORK_ERROR', '网络连接失败', 0)),
      () => Promise.reject('??'),
    );
    const { result } = renderHook(() => useSignInAndHealth(c));
    await waitFor(() => expect(result.current.user).toEqual({ state: 'failed', message: '网络连接失败' }));
    await waitFor(() => expect(result.current.health).toEqual({ state: 'failed', message: '出现未知错误，请重试' }));
  });

  it('when signing in again, then it shows loading and forces a new sign-in; reload does not force', async () => {
    const c = client(
      () => Promise.resolve({ user } as LoginResponse),
      () => Promise.resolve(health),
    );
    const { result } = renderHook(() => useSignInAndHealth(c));
    await waitFor(() => expect(result.current.user.state).toBe('ready'));
    act(() => result.current.signInAgain());
    expect(result.current.user).toEqual({ state: 'loading' });
    expect(result.current.health).toEqual({ state: 'loading' });
    await waitFor(() => expect(result.current.user.state).toBe('ready'));
    expect(c.signIn).toHaveBeenLastCalledWith(true);
    act(() => result.current.reload());
    await waitFor(() => expect(result.current.health.state).toBe('ready'));
    expect(c.signIn).toHaveBeenLastCalledWith(false);
    expect(c.api.health).toHaveBeenCalledTimes(3);
  });
});
