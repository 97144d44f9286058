import { render, screen } from '@testing-library/react';
import { StatusTag, TONES } from './StatusTag';

describe('StatusTag', () => {
  it.each(TONES)('shows its words with the %s tone', (tone) => {
    render(<StatusTag tone={tone} text="已完成" id="tag" />);
    const tag = screen.getByText('已完成');
    expect(tag.id).toBe('tag');
    expect(tag.getAttribute('data-tone')).toBe(tone);
    expect(tag.className).toContain(`status-tag--${tone}`);
  });
});
