import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { ApiError, messageOf } from '@ygsa/shared';
import './PageState.scss';

/** What a screen loads: not yet, failed (offline told apart), or its value. */
export type Loaded<T> = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'ready'; value: T };

/**
 * A screen's loading, empty, error and offline states, each in words with a way on: error and
 * offline offer 重试.
 */
export function PageState(props: {
  state: 'loading' | 'empty' | 'failed';
  error?: unknown;
  text?: string;
  onRetry?: () => void;
  id?: string;
}) {
  const offline = props.error instanceof ApiError && props.error.code === 'NETWORK_ERROR';
  const text =
    props.state === 'loading'
      ? (props.text ?? '正在加载…')
      : props.state === 'empty'
        ? (props.text ?? '暂无内容')
        : offline
          ? '网络连接失败，请检查网络后重试'
          : messageOf(props.error, '加载失败');
  return (
    <View className={`page-state page-state--${offline ? 'offline' : props.state}`} id={props.id ?? 'page-state'}>
      <Text className="page-state__text">{text}</Text>
      {props.state === 'failed' && props.onRetry && (
        <Button id="retry" type="primary" onClick={props.onRetry}>
          重试
        </Button>
      )}
    </View>
  );
}
