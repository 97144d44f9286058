import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { NoticeView } from '@ygsa/shared';
import { api, newIdempotencyKey, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import { PhotoGrid, PhotoPicker, StoredPhoto } from '../../components/Photos';
import { clearDraft, loadDraft, saveDraft } from '../../state/draft';
import '../notices/index.scss';

interface Draft {
  idempotencyKey: string;
  text: string;
  photos: string[];
}
const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** One rectification notice: why, what to do by when, the evidence; the reply with photos. */
export default function NoticePage() {
  const { params } = useRouter<{ shop?: string; id?: string }>();
  const shop = params.shop ?? '';
  const id = params.id ?? '';
  const draftKey = `notice-reply.${id}`;
  const [notice, setNotice] = useState<NoticeView | null>(null);
  const [draft, setDraft] = useState<Draft>(
    () => loadDraft<Draft>(draftKey) ?? { idempotencyKey: newIdempotencyKey(), text: '', photos: [] },
  );
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void signedIn()
      .then(() => api.notice(shop, id))
      .then(
        (n) => live && setNotice(n),
        (e: unknown) => live && setError(messageOf(e, '加载失败')),
      );
    return () => {
      live = false;
    };
  }, [shop, id]);

  const change = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    saveDraft(draftKey, next);
  };
  const submit = async () => {
    setError(undefined);
    if (draft.text.trim().length < 4) return setError('请说明整改情况（至少 4 个字）');
    if (!draft.photos.length) return setError('请上传整改后的照片');
    setBusy(true);
    try {
      setNotice(await api.replyToNotice(shop, id, draft));
      clearDraft(draftKey);
      setDraft({ idempotencyKey: newIdempotencyKey(), text: '', photos: [] });
      void Taro.showToast({ title: '已提交', icon: 'success' });
    } catch (e) {
      setError(messageOf(e, '提交失败'));
    } finally {
      setBusy(false);
    }
  };

  if (!notice)
    return <Text className={error ? 'enf__error enf__pad' : 'enf__muted enf__pad'}>{error ?? '正在加载…'}</Text>;
  const canReply = notice.status === 'open' || notice.status === 'returned';
  return (
    <View className="enf">
      <View className={`enf__card enf__card--${notice.overdue ? 'late' : notice.status}`} id="notice">
        <View className="enf__row">
          <Text className="enf__head">{notice.topicLabel}</Text>
          <Text className="enf__status" id="notice-status">
            {notice.overdue ? '已逾期' : notice.statusLabel}
          </Text>
        </View>
        <Text className="enf__muted">
          {notice.number} · {when(notice.issuedAt)} 下发
        </Text>
        <Text className="enf__text">原因：{notice.reason}</Text>
        <Text className="enf__text">整改要求：{notice.requirement}</Text>
        <Text className="enf__text">
          整改期限：{notice.deadline}
          {notice.deadlineComplete ? '' : '（跨年节假日未公布，按周末推算）'}
        </Text>
      </View>

      {(notice.captures.length > 0 || notice.photos.length > 0) && (
        <View className="enf__section" id="evidence">
          <Text className="enf__title">证据</Text>
          <View className="photos__grid">
            {notice.captures.map((c) => (
              <StoredPhoto key={c.id} id={c.snapshot} caption={`${c.zoneLabel} ${when(c.capturedAt)}`} />
            ))}
          </View>
          <PhotoGrid ids={notice.photos} />
        </View>
      )}

      {(notice.replies.length > 0 || notice.reviews.length > 0) && (
        <View className="enf__section" id="history">
          <Text className="enf__title">整改记录</Text>
          {[
            ...notice.replies.map((r) => ({ at: r.at, text: `整改回复：${r.text}`, photos: r.photos })),
            ...notice.reviews.map((r) => ({
              at: r.at,
              text: r.decision === 'accept' ? '监管审核：通过' : `监管退回：${r.reason}`,
              photos: [] as string[],
            })),
          ]
            .sort((a, b) => a.at.localeCompare(b.at))
            .map((h) => (
              <View key={h.at + h.text} className="enf__card">
                <Text className="enf__muted">{when(h.at)}</Text>
                <Text className="enf__text">{h.text}</Text>
                <PhotoGrid ids={h.photos} />
              </View>
            ))}
        </View>
      )}

      {canReply && (
        <View className="enf__section" id="reply-form">
          <Text className="enf__title">整改回复</Text>
          <Textarea
            id="reply-text"
            className="enf__area"
            placeholder="说明已采取的整改措施"
            value={draft.text}
            maxlength={1000}
            onInput={(e) => change({ text: e.detail.value })}
          />
          <PhotoPicker id="reply-photo" ids={draft.photos} onChange={(photos) => change({ photos })} />
          {error && <Text className="enf__error">{error}</Text>}
          <Button id="submit-reply" type="primary" size="large" block loading={busy} onClick={() => void submit()}>
            提交整改回复
          </Button>
        </View>
      )}
    </View>
  );
}
