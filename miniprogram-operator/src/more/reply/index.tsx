import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { formatChineseDateTime, type GradeReplyResult } from '@ygsa/shared';
import { PageState, type Loaded, StatusTag, SubmitButton } from '@ygsa/kit';
import { api, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import './index.scss';

/** Whether diners see the reply yet, in the app's status palette. */
function replyTag(reply: GradeReplyResult) {
  return reply.state === 'published' ? (
    <StatusTag id="reply-public-state" tone="done" text="已公开" />
  ) : (
    <StatusTag id="reply-public-state" tone="waiting" text="人工审核中，通过后公开" />
  );
}

/**
 * The shop's public reply beside its grade (right to reply): diners see it on the shop's page.
 * Opens on the reply that is live (or under review), which can be edited or withdrawn.
 */
export default function ReplyPage() {
  const { params } = useRouter<{ shop?: string }>();
  const shop = params.shop ?? '';
  const [load, setLoad] = useState<Loaded<GradeReplyResult | null>>({ state: 'loading' });
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<'publish' | 'withdraw' | null>(null);

  const fetchReply = useCallback(async (): Promise<Loaded<GradeReplyResult | null>> => {
    try {
      await signedIn();
      return { state: 'ready', value: (await api.gradeReply(shop)).reply };
    } catch (e) {
      return { state: 'failed', error: e };
    }
  }, [shop]);
  const show = useCallback((r: Loaded<GradeReplyResult | null>) => {
    setLoad(r);
    if (r.state === 'ready') setText(r.value?.text ?? '');
  }, []);
  useEffect(() => {
    let live = true;
    void fetchReply().then((r) => live && show(r));
    return () => {
      live = false;
    };
  }, [fetchReply, show]);
  const retry = () => {
    setLoad({ state: 'loading' });
    void fetchReply().then(show);
  };

  const publish = async () => {
    setBusy('publish');
    setError(undefined);
    try {
      await signedIn();
      const saved = await api.replyToGrade(shop, text.trim());
      setLoad({ state: 'ready', value: saved });
      void Taro.showToast({ title: saved.state === 'published' ? '已发布' : '已提交审核', icon: 'success' });
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  };

  const withdraw = async () => {
    const { confirm } = await Taro.showModal({
      title: '撤回回复',
      content: '撤回后公众将看不到这条回复（记录仍保存在本店档案中）。确定撤回？',
      confirmText: '撤回',
    });
    if (!confirm) return;
    setBusy('withdraw');
    setError(undefined);
    try {
      await api.withdrawGradeReply(shop);
      setLoad({ state: 'ready', value: null });
      setText('');
      void Taro.showToast({ title: '已撤回', icon: 'success' });
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  };

  if (load.state === 'loading') return <PageState state="loading" />;
  if (load.state === 'failed') return <PageState state="failed" error={load.error} onRetry={retry} />;
  const current = load.value;
  const unchanged = current !== null && text.trim() === current.text;

  return (
    <View className="reply">
      {current ? (
        <View className="reply__current" id="reply-current">
          <View className="reply__current-head">
            <Text className="reply__label">当前回复</Text>
            {replyTag(current)}
          </View>
          <Text className="reply__current-text">{current.text}</Text>
          <Text className="reply__hint">更新于 {formatChineseDateTime(current.updatedAt)}</Text>
        </View>
      ) : (
        <Text className="reply__hint" id="reply-none">
          尚未回复。
        </Text>
      )}
      <Text className="reply__hint">回复将显示在公众查看的门店等级旁，例如说明已完成的整改。最多 300 字。</Text>
      <Textarea
        id="reply-text"
        className="reply__area"
        maxlength={300}
        value={text}
        onInput={(e) => setText(e.detail.value)}
      />
      <SubmitButton
        id="publish-reply"
        error={error}
        errorId="reply-error"
        loading={busy === 'publish'}
        disabled={busy !== null || text.trim().length < 2 || unchanged}
        onClick={() => void publish()}
      >
        {current ? '保存修改' : '发布回复'}
      </SubmitButton>
      {current && (
        <Button
          id="withdraw-reply"
          size="large"
          block
          loading={busy === 'withdraw'}
          disabled={busy !== null}
          onClick={() => void withdraw()}
        >
          撤回回复
        </Button>
      )}
    </View>
  );
}
