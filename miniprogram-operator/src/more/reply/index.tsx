import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import './index.scss';

/** The shop's public reply beside its grade (right to reply): diners see it on the shop's page. */
export default function ReplyPage() {
  const { params } = useRouter<{ shop?: string }>();
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const publish = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await signedIn();
      await api.replyToGrade(params.shop ?? '', text.trim());
      void Taro.showToast({ title: '已发布', icon: 'success' });
      setTimeout(() => void Taro.navigateBack(), 600);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="reply">
      <Text className="reply__hint">回复将显示在公众查看的门店等级旁，例如说明已完成的整改。最多 300 字。</Text>
      <Textarea
        id="reply-text"
        className="reply__area"
        maxlength={300}
        value={text}
        onInput={(e) => setText(e.detail.value)}
      />
      {error && <Text className="reply__error">{error}</Text>}
      <Button
        id="publish-reply"
        type="primary"
        size="large"
        block
        loading={busy}
        disabled={text.trim().length < 2}
        onClick={() => void publish()}
      >
        发布回复
      </Button>
    </View>
  );
}
