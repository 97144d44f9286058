import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { NoticeView } from '@ygsa/shared';
import { PageState, StatusTag } from '@ygsa/kit';
import { noticeStatus, replyStatus } from '../../components/statuses';
import { api, drafts, newIdempotencyKey, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import { PhotoGrid, PhotoPicker, StoredPhoto } from '../../components/Photos';
import '../notices/index.scss';

interface Draft {
  idempotencyKey: string;
  text: string;
  photos: string[];
}
type Reply = NoticeView['replies'][number];
const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** The reply waiting for the regulator, if any: the shop may still edit or withdraw it. */
function underReview(n: NoticeView): Reply | undefined {
  if (n.status !== 'replied') return undefined;
  const waiting = n.replies.filter((r) => r.state === 'in_review');
  return waiting[waiting.length - 1];
}

/**
 * One rectification notice: why, what to do by when, the evidence; the reply with photos. A reply
 * under review is shown with its state, and can be edited or withdrawn until a regulator reviews it.
 */
export default function NoticePage() {
  const { params } = useRouter<{ shop?: string; id?: string }>();
  const shop = params.shop ?? '';
  const id = params.id ?? '';
  const draftKey = `notice-reply.${id}`;
  const [notice, setNotice] = useState<NoticeView | null>(null);
  const [loadError, setLoadError] = useState<unknown>();
  const [draft, setDraft] = useState<Draft>(
    () => drafts<Draft>(draftKey).load() ?? { idempotencyKey: newIdempotencyKey(), text: '', photos: [] },
  );
  // Editing the reply under review: its text and photos, not saved until 保存修改.
  const [edit, setEdit] = useState<{ text: string; photos: string[] } | null>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<'submit' | 'save' | 'withdraw' | null>(null);

  const fetchNotice = async () => {
    setLoadError(undefined);
    try {
      await signedIn();
      setNotice(await api.notice(shop, id));
    } catch (e) {
      setLoadError(e);
    }
  };
  useEffect(() => {
    let live = true;
    void signedIn()
      .then(() => api.notice(shop, id))
      .then(
        (n) => live && setNotice(n),
        (e: unknown) => live && setLoadError(e),
      );
    return () => {
      live = false;
    };
  }, [shop, id]);

  const change = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    drafts<Draft>(draftKey).save(next);
  };
  const check = (text: string, photos: string[]) => {
    if (text.trim().length < 4) return '请说明整改情况（至少 4 个字）';
    if (!photos.length) return '请上传整改后的照片';
    return undefined;
  };
  const run = async (what: 'submit' | 'save' | 'withdraw', action: () => Promise<NoticeView | null>, done: string) => {
    setBusy(what);
    setError(undefined);
    try {
      const next = await action();
      if (!next) return;
      setNotice(next);
      void Taro.showToast({ title: done, icon: 'success' });
    } catch (e) {
      setError(messageOf(e, '提交失败'));
    } finally {
      setBusy(null);
    }
  };
  const submit = () => {
    const problem = check(draft.text, draft.photos);
    if (problem) return setError(problem);
    void run(
      'submit',
      async () => {
        const next = await api.replyToNotice(shop, id, draft);
        drafts(draftKey).clear();
        setDraft({ idempotencyKey: newIdempotencyKey(), text: '', photos: [] });
        return next;
      },
      '已提交',
    );
  };
  const save = () => {
    if (!edit) return;
    const problem = check(edit.text, edit.photos);
    if (problem) return setError(problem);
    void run(
      'save',
      async () => {
        const next = await api.editNoticeReply(shop, id, { text: edit.text.trim(), photos: edit.photos });
        setEdit(null);
        return next;
      },
      '已修改',
    );
  };
  const withdraw = () =>
    void run(
      'withdraw',
      async () => {
        const { confirm } = await Taro.showModal({
          title: '撤回整改回复',
          content: '撤回后监管人员不再审核这条回复，整改期限不变，请在期限内重新回复。',
        });
        if (!confirm) return null;
        setEdit(null);
        return api.withdrawNoticeReply(shop, id);
      },
      '已撤回',
    );

  if (!notice) {
    if (loadError) return <PageState state="failed" error={loadError} onRetry={() => void fetchNotice()} />;
    return <PageState state="loading" />;
  }
  const canReply = notice.status === 'open' || notice.status === 'returned';
  const live = underReview(notice);
  const [tone, label] = noticeStatus(notice);
  return (
    <View className="enf">
      <View className="enf__card" id="notice">
        <View className="enf__row">
          <Text className="enf__head">{notice.topicLabel}</Text>
          <StatusTag tone={tone} text={label} id="notice-status" />
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
              <StoredPhoto
                key={c.id}
                id={c.snapshot}
                caption={`${c.zoneLabel} · ${c.cameraName} ${when(c.capturedAt)}`}
              />
            ))}
          </View>
          <PhotoGrid ids={notice.photos} />
        </View>
      )}

      {live && (
        <View className="enf__section" id="live-reply">
          <View className="enf__row">
            <Text className="enf__title">我的整改回复</Text>
            <StatusTag tone="waiting" text={live.stateLabel} id="live-reply-state" />
          </View>
          <Text className="enf__muted">
            {when(live.at)} 提交{live.editedAt ? ` · ${when(live.editedAt)} 修改` : ''}
            ；监管人员审核前可修改或撤回
          </Text>
          {edit ? (
            <View className="enf__form" id="edit-form">
              <Textarea
                id="edit-text"
                className="enf__area"
                value={edit.text}
                maxlength={1000}
                onInput={(e) => setEdit({ ...edit, text: e.detail.value })}
              />
              <PhotoPicker id="edit-photo" ids={edit.photos} onChange={(photos) => setEdit({ ...edit, photos })} />
              {error && <Text className="enf__error">{error}</Text>}
              <Button id="save-reply" type="primary" size="large" block loading={busy === 'save'} onClick={save}>
                保存修改
              </Button>
              <Button id="cancel-edit" size="large" block disabled={busy !== null} onClick={() => setEdit(null)}>
                取消
              </Button>
            </View>
          ) : (
            <>
              <Text className="enf__text" id="live-reply-text">
                {live.text}
              </Text>
              <PhotoGrid ids={live.photos} id="live-reply-photos" />
              {error && <Text className="enf__error">{error}</Text>}
              <View className="enf__actions">
                <Button
                  id="edit-reply"
                  size="small"
                  disabled={busy !== null}
                  onClick={() => setEdit({ text: live.text, photos: live.photos })}
                >
                  修改回复
                </Button>
                <Button id="withdraw-reply" size="small" loading={busy === 'withdraw'} onClick={withdraw}>
                  撤回回复
                </Button>
              </View>
            </>
          )}
        </View>
      )}

      {(notice.replies.length > 0 || notice.reviews.length > 0) && (
        <View className="enf__section" id="history">
          <Text className="enf__title">整改记录</Text>
          {[
            ...notice.replies.map((r) => ({
              at: r.at,
              text: `整改回复：${r.text}`,
              photos: r.photos,
              status: replyStatus(r),
            })),
            ...notice.reviews.map((r) => ({
              at: r.at,
              text: r.decision === 'accept' ? '监管审核：通过' : `监管退回：${r.reason}`,
              photos: [] as string[],
              status: null,
            })),
          ]
            .sort((a, b) => a.at.localeCompare(b.at))
            .map((h) => (
              <View key={h.at + h.text} className="enf__card">
                <View className="enf__row">
                  <Text className="enf__muted">{when(h.at)}</Text>
                  {h.status && <StatusTag tone={h.status[0]} text={h.status[1]} />}
                </View>
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
          <Button id="submit-reply" type="primary" size="large" block loading={busy === 'submit'} onClick={submit}>
            提交整改回复
          </Button>
        </View>
      )}
    </View>
  );
}
