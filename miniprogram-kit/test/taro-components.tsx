// A test double of @tarojs/components: each component as the plain HTML element it renders in H5.
import type { ReactNode } from 'react';

interface Props {
  id?: string;
  className?: string;
  children?: ReactNode;
  onClick?: () => void;
  [data: `data-${string}`]: unknown;
}

export function View(props: Props) {
  return <div {...props} />;
}

export function Text(props: Props) {
  return <span {...props} />;
}

export function Image(props: Props & { src?: string; mode?: string }) {
  const { mode: _mode, ...rest } = props;
  return <img alt="" {...rest} />;
}
