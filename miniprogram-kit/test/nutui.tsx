// A test double of the NutUI components the kit uses (NutUI's bundle needs Taro's runtime).
import type { ReactNode } from 'react';

export function Button(props: {
  id?: string;
  children?: ReactNode;
  onClick?: () => void;
  disabled?: boolean;
  loading?: boolean;
  [k: string]: unknown;
}) {
  // Like NutUI's: no tap while disabled or loading.
  return (
    <button id={props.id} type="button" disabled={!!props.disabled || !!props.loading} onClick={props.onClick}>
      {props.children}
    </button>
  );
}

export function CellGroup(props: { title?: string; children?: ReactNode }) {
  return (
    <section>
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}

export function Cell(props: { title?: string; extra?: ReactNode }) {
  return (
    <div>
      <span>{props.title}</span>
      {props.extra}
    </div>
  );
}
