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
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  const publish = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await signedIn();
      const saved = await api.replyToGrade(params.shop ?? '', text.trim());
      if (saved.state === 'in_review') {
        // WeChat's content check asked for a person to look: diners see it once a regulator has.
        setNotice('回复已提交，需人工审核，审核通过后向公众显示');
        return;
      }
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
      {error && (
        <Text className="reply__error" id="reply-error">
          {error}
        </Text>
      )}
      {notice && (
        <Text className="reply__hint" id="reply-state">
          {notice}
        </Text>
      )}
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
