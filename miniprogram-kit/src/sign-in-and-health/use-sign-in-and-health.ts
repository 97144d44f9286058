import { useCallback, useEffect, useState } from 'react';
import { ApiError, type Health, type LoginResponse, type User } from '@ygsa/shared';

export type Loadable<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

const messageOf = (err: unknown) =>
  err instanceof ApiError || err instanceof Error ? err.message : '出现未知错误，请重试';

/** What the hook needs of an app's client (see createMiniClient). */
export interface SignInAndHealthClient {
  api: { health(): Promise<Health> };
  signIn(force?: boolean): Promise<LoginResponse>;
}

/** Signs in with WeChat (or keeps the stored session) and reads the API's health. */
export function useSignInAndHealth(client: SignInAndHealthClient) {
  const [user, setUser] = useState<Loadable<User>>({ state: 'loading' });
  const [health, setHealth] = useState<Loadable<Health>>({ state: 'loading' });

  // Results arrive asynchronously; the loading state is shown first (initial state, or `again`).
  const fetchBoth = useCallback(
    async (force: boolean) => {
      await Promise.all([
        client.signIn(force).then(
          (s) => setUser({ state: 'ready', value: s.user }),
          (err: unknown) => setUser({ state: 'failed', message: messageOf(err) }),
        ),
        client.api.health().then(
          (h) => setHealth({ state: 'ready', value: h }),
          (err: unknown) => setHealth({ state: 'failed', message: messageOf(err) }),
        ),
      ]);
    },
    [client],
  );

  useEffect(() => {
    void fetchBoth(false);
  }, [fetchBoth]);

  const again = (force: boolean) => {
    setUser({ state: 'loading' });
    setHealth({ state: 'loading' });
    void fetchBoth(force);
  };

  return { user, health, reload: () => again(false), signInAgain: () => again(true) };
}
