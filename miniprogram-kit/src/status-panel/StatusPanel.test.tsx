import { fireEvent, render, screen } from '@testing-library/react';
import type { Health, User } from '@ygsa/shared';
import type { Loadable } from '../sign-in-and-health/use-sign-in-and-health';
import { StatusPanel } from './StatusPanel';

const user = { id: 'u1', roles: ['diner'] } as unknown as User;
const health = {
  api: { version: '1.2.3' },
  database: { status: 'ok', latencyMs: 4 },
} as unknown as Health;

function renderPanel(u: Loadable<User>, h: Loadable<Health>) {
  const onReload = jest.fn();
  const onSignInAgain = jest.fn();
  const view = render(<StatusPanel user={u} health={h} onReload={onReload} onSignInAgain={onSignInAgain} />);
  const text = (id: string) => view.container.querySelector(`#${id}`)?.textContent ?? '';
  return { onReload, onSignInAgain, text };
}

describe('StatusPanel', () => {
  it('when both are still loading, then it says so and offers no sign-in again', () => {
    const { text } = renderPanel({ state: 'loading' }, { state: 'loading' });
    expect(text('login-status')).toContain('正在登录…');
    expect(text('health-api')).toContain('检查中…');
    expect(text('health-db')).toContain('检查中…');
    expect(screen.queryByText('重新登录')).toBeNull();
  });

  it('when signed in and the service answers, then it names the roles, the version and the latency', () => {
    const { text } = renderPanel({ state: 'ready', value: user }, { state: 'ready', value: health });
    expect(text('login-status')).toMatch(/^微信登录已登录 · /);
    expect(text('health-api')).toContain('正常 · 版本 1.2.3');
    expect(text('health-db')).toContain('正常 · 4 毫秒');
  });

  it('when the database is down, then it says so in words', () => {
    const down = { ...health, database: { status: 'down' } } as unknown as Health;
    const { text } = renderPanel({ state: 'ready', value: user }, { state: 'ready', value: down });
    expect(text('health-db')).toContain('异常 · 暂时无法访问');
  });

  it('when sign-in and the service fail, then it tells why and 重新登录 and 刷新 call their handlers', () => {
    const { text, onReload, onSignInAgain } = renderPanel(
      { state: 'failed', message: '网络错误' },
      { state: 'failed', message: '连接超时' },
    );
    expect(text('login-status')).toContain('登录失败：网络错误');
    expect(text('health-api')).toContain('无法连接：连接超时');
    expect(text('health-db')).toContain('未知');
    fireEvent.click(screen.getByText('重新登录'));
    expect(onSignInAgain).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByText('刷新'));
    expect(onReload).toHaveBeenCalledTimes(1);
  });

  it('colours each line with a word: tones of the one palette', () => {
    renderPanel({ state: 'failed', message: 'x' }, { state: 'ready', value: health });
    expect(screen.getByText('登录失败：x').getAttribute('data-tone')).toBe('overdue');
    expect(screen.getByText('正常 · 版本 1.2.3').getAttribute('data-tone')).toBe('done');
  });
});
