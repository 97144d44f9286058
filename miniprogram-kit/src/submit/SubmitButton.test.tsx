import { fireEvent, render, screen } from '@testing-library/react';
import { SubmitButton } from './SubmitButton';

describe('SubmitButton', () => {
  it('says the last error above the button and submits on a tap', () => {
    const onClick = jest.fn();
    render(
      <SubmitButton id="go" error="请填写诉求" errorId="go-error" onClick={onClick}>
        提交
      </SubmitButton>,
    );
    expect(screen.getByText('请填写诉求').id).toBe('go-error');
    fireEvent.click(screen.getByText('提交'));
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('shows no error line when there is none', () => {
    render(
      <SubmitButton id="go" error={null} onClick={() => {}}>
        提交
      </SubmitButton>,
    );
    expect(document.querySelector('.submit-error')).toBeNull();
  });

  it('refuses taps while disabled', () => {
    const onClick = jest.fn();
    render(
      <SubmitButton id="go" disabled onClick={onClick}>
        提交
      </SubmitButton>,
    );
    fireEvent.click(screen.getByText('提交'));
    expect(onClick).not.toHaveBeenCalled();
  });
});
