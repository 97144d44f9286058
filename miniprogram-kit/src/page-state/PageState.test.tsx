import { fireEvent, render, screen } from '@testing-library/react';
import { ApiError } from '@ygsa/shared';
import { PageState } from './PageState';

describe('PageState', () => {
  it('when loading, then it says 正在加载… (or its own words) and offers no retry', () => {
    const { rerender } = render(<PageState state="loading" />);
    expect(screen.getByText('正在加载…')).toBeTruthy();
    rerender(<PageState state="loading" text="正在查找…" />);
    expect(screen.getByText('正在查找…')).toBeTruthy();
    expect(screen.queryByText('重试')).toBeNull();
  });

  it('when empty, then it says 暂无内容 unless told what is missing', () => {
    const { rerender } = render(<PageState state="empty" />);
    expect(screen.getByText('暂无内容')).toBeTruthy();
    rerender(<PageState state="empty" text="还没有自查记录" />);
    expect(screen.getByText('还没有自查记录')).toBeTruthy();
  });

  it('when failed, then it shows the error and 重试 calls its handler', () => {
    const onRetry = jest.fn();
    const { container } = render(
      <PageState state="failed" error={new ApiError('NOT_FOUND', '门店不存在', 404)} onRetry={onRetry} />,
    );
    expect(screen.getByText('门店不存在')).toBeTruthy();
    expect(container.querySelector('#page-state')?.className).toContain('page-state--failed');
    fireEvent.click(screen.getByText('重试'));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('when failed without a message, then it says 加载失败', () => {
    render(<PageState state="failed" error={undefined} />);
    expect(screen.getByText('加载失败')).toBeTruthy();
    expect(screen.queryByText('重试')).toBeNull();
  });

  it('when offline, then it tells the user to check the network, in its own style', () => {
    const { container } = render(
      <PageState
        state="failed"
        id="list-state"
        error={new ApiError('NETWORK_ERROR', 'fetch failed', 0)}
        onRetry={() => {}}
      />,
    );
    expect(screen.getByText('网络连接失败，请检查网络后重试')).toBeTruthy();
    expect(container.querySelector('#list-state')?.className).toContain('page-state--offline');
    expect(screen.getByText('重试')).toBeTruthy();
  });
});
