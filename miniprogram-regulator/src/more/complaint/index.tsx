import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ComplaintAction, RegulatorComplaint } from '@ygsa/shared';
import { PageState, StatusTag, SubmitButton, useLoadable } from '@ygsa/kit';
import { api, photoSource, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import './index.scss';

/** What the desk may do next, by the matter's state (the API refuses anything else). */
function nextActions(c: RegulatorComplaint): ComplaintAction['action'][] {
  if (c.status === 'submitted') return ['accept', 'reject'];
  if (c.status === 'accepted')
    return c.type === 'complaint' ? ['start', 'resolve', 'end_mediation'] : ['start', 'resolve'];
  if (c.status === 'in_progress') return c.type === 'complaint' ? ['resolve', 'end_mediation'] : ['resolve'];
  return [];
}
const ACTION_LABELS: Record<ComplaintAction['action'], string> = {
  accept: '受理',
  reject: '不予受理',
  start: '开始处理',
  resolve: '办结',
  end_mediation: '终止调解',
};
/** Each action's words: a note for the filer's timeline, or the reason or result the law asks for. */
const WORDS: Record<ComplaintAction['action'], { label: string; required: boolean }> = {
  accept: { label: '受理意见（告知投诉人）', required: false },
  reject: { label: '不予受理的理由', required: true },
  start: { label: '处理说明', required: false },
  resolve: { label: '处理结果', required: true },
  end_mediation: { label: '终止调解的理由', required: true },
};

function PhotoView(props: { id: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let live = true;
    void photoSource(props.id).then(
      (s) => live && setSrc(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [props.id]);
  return src ? <Image className="detail__photo" src={src} mode="aspectFill" /> : <View className="detail__photo" />;
}

/** One complaint as the desk sees it (the filer's identity included), with the next legal step. */
export default function ComplaintPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const { state, reload, set } = useLoadable(
    useCallback(async () => {
      await signedIn();
      return api.complaintForRegulator(id);
    }, [id]),
  );
  const [chosen, setChosen] = useState<ComplaintAction['action'] | null>(null);
  const [words, setWords] = useState('');
  const [upheld, setUpheld] = useState<boolean | null>(null);
  const [sending, setSending] = useState<{ busy: boolean; error?: string }>({ busy: false });

  if (state.state === 'loading') return <PageState state="loading" />;
  if (state.state === 'failed') return <PageState state="failed" error={state.error} onRetry={reload} />;
  const c = state.value;

  const act = async () => {
    if (!chosen) return;
    const w = words.trim();
    const action: ComplaintAction =
      chosen === 'accept' || chosen === 'start'
        ? { action: chosen, note: w }
        : chosen === 'resolve'
          ? { action: 'resolve', result: w, upheld: upheld === true }
          : { action: chosen, reason: w };
    setSending({ busy: true });
    try {
      set(await api.actOnComplaint(c.id, action));
      setChosen(null);
      setWords('');
      setUpheld(null);
      setSending({ busy: false });
      void Taro.showToast({ title: '已办理，投诉人会收到进度通知', icon: 'none' });
    } catch (e) {
      setSending({ busy: false, error: messageOf(e) });
    }
  };

  const actions = nextActions(c);
  const need = chosen ? WORDS[chosen] : null;
  const ready = !!chosen && (!need?.required || words.trim().length >= 4) && (chosen !== 'resolve' || upheld !== null);

  return (
    <View className="detail" id="complaint-detail">
      <View className="detail__card">
        <View className="detail__line">
          <Text className="detail__title">
            {c.typeLabel} · {c.categoryLabel}
          </Text>
          <StatusTag
            id="complaint-status"
            tone={c.overdue ? 'overdue' : c.status === 'resolved' ? 'done' : 'waiting'}
            text={c.statusLabel}
          />
        </View>
        <Text className="detail__muted">
          {c.number} · {c.office}
        </Text>
        <Text className="detail__muted">被投诉对象：{c.shopName}</Text>
        {c.deadline && (
          <Text className={c.overdue ? 'detail__late' : 'detail__muted'} id="complaint-deadline">
            {c.deadlineLabel}：{c.deadline}
            {c.overdue ? '（已超期）' : ''}
          </Text>
        )}
      </View>

      <View className="detail__card">
        <Text className="detail__label">事实经过</Text>
        <Text>{c.description}</Text>
        {c.photos.length > 0 && (
          <View className="detail__photos">
            {c.photos.map((p) => (
              <PhotoView key={p} id={p} />
            ))}
          </View>
        )}
      </View>

      <View className="detail__card" id="complainant">
        <Text className="detail__label">{c.anonymous ? '匿名举报' : '投诉人'}</Text>
        {c.complainant && (
          <>
            <Text>
              {c.complainant.name} · {c.complainant.phone}
              {c.complainant.phoneVerified ? '（已验证）' : ''}
            </Text>
            {c.complainant.address && <Text className="detail__muted">通讯地址：{c.complainant.address}</Text>}
            {c.complainant.request && <Text className="detail__muted">诉求：{c.complainant.request}</Text>}
          </>
        )}
        {c.parties.length > 0 && <Text className="detail__muted">另有 {c.parties.length} 人反映同一问题</Text>}
      </View>

      <View className="detail__card" id="complaint-timeline">
        <Text className="detail__label">办理记录</Text>
        {c.timeline.map((t, i) => (
          <View key={i} className="detail__step">
            <Text className="detail__stepTitle">
              {t.statusLabel} · {t.at.slice(0, 16).replace('T', ' ')}
            </Text>
            {t.note && <Text className="detail__muted">{t.note}</Text>}
          </View>
        ))}
      </View>

      {actions.length > 0 && (
        <View className="detail__card" id="complaint-actions">
          <Text className="detail__label">办理</Text>
          <View className="detail__choices">
            {actions.map((a) => (
              <Button
                key={a}
                id={`action-${a}`}
                type={chosen === a ? 'primary' : 'default'}
                onClick={() => {
                  setChosen(a);
                  setSending({ busy: false });
                }}
              >
                {ACTION_LABELS[a]}
              </Button>
            ))}
          </View>
          {chosen === 'resolve' && (
            <View className="detail__choices" id="upheld-choice">
              <Button id="upheld-yes" type={upheld === true ? 'primary' : 'default'} onClick={() => setUpheld(true)}>
                投诉属实
              </Button>
              <Button id="upheld-no" type={upheld === false ? 'primary' : 'default'} onClick={() => setUpheld(false)}>
                投诉不属实
              </Button>
            </View>
          )}
          {need && (
            <Textarea
              id="action-words"
              className="detail__words"
              value={words}
              maxlength={500}
              placeholder={`${need.label}${need.required ? '（必填，至少 4 个字）' : '（选填）'}`}
              onInput={(e) => setWords(e.detail.value)}
            />
          )}
          {chosen && (
            <SubmitButton
              id="action-submit"
              errorId="action-error"
              loading={sending.busy}
              disabled={!ready}
              error={sending.error}
              onClick={() => void act()}
            >
              确认{ACTION_LABELS[chosen]}
            </SubmitButton>
          )}
        </View>
      )}
    </View>
  );
}
