import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { ApiError } from '@ygsa/shared';
import './ErrorState.scss';

/** What went wrong, in words a diner understands, and what to do about it. */
export function explain(err: unknown): { title: string; advice: string; retry: boolean } {
  const code = err instanceof ApiError ? err.code : undefined;
  switch (code) {
    case 'QR_INVALID':
      return {
        title: '二维码无效',
        advice:
          '这不是阳光食安的有效二维码，可能是伪造或被篡改的。请勿在该页面付款或填写个人信息，可向店内工作人员或 12315 反映。',
        retry: false,
      };
    case 'QR_REVOKED':
      return { title: '二维码已停用', advice: `${(err as ApiError).message}。`, retry: false };
    case 'NOT_FOUND':
      return { title: '门店不存在', advice: '该门店不存在或已注销，请核对后重新扫码。', retry: false };
    case 'NETWORK_ERROR':
      return { title: '网络连接失败', advice: '请检查网络后重试。', retry: true };
    default:
      return {
        title: '加载失败',
        advice: err instanceof Error ? err.message : '服务暂时不可用，请稍后重试。',
        retry: true,
      };
  }
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, advice, retry } = explain(error);
  return (
    <View className="error-state" id="error-state">
      <Text className="error-state__title">{title}</Text>
      <Text className="error-state__advice">{advice}</Text>
      {retry && onRetry && (
        <Button id="retry" type="primary" size="large" onClick={onRetry}>
          重试
        </Button>
      )}
    </View>
  );
}
