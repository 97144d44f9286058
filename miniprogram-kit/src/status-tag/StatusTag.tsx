import { Text } from '@tarojs/components';
import './StatusTag.scss';

/**
 * The one status palette. Every status an app shows is one of four tones: done (green), waiting
 * for someone else (amber), overdue or needing action now (red), refused, withdrawn or ended
 * (grey). A colour always comes with its words.
 */
export type Tone = 'done' | 'waiting' | 'overdue' | 'refused';
export const TONES: readonly Tone[] = ['done', 'waiting', 'overdue', 'refused'];

export function StatusTag(props: { tone: Tone; text: string; id?: string }) {
  return (
    <Text className={`status-tag status-tag--${props.tone}`} id={props.id} data-tone={props.tone}>
      {props.text}
    </Text>
  );
}
