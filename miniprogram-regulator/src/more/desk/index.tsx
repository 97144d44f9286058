import { useCallback, useState } from 'react';
import { useDidShow, useRouter } from '@tarojs/taro';
import { Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { CaseView, NoticeView } from '@ygsa/shared';
import { PageState, StatusTag, SubmitButton, useLoadable } from '@ygsa/kit';
import { api, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import { openPage } from '../../nav';
import './index.scss';

type Queue = 'replies' | 'drafts';
const TITLES: Record<Queue, string> = { replies: '待审核整改回复', drafts: '待确认执法草稿' };
/** What each action asks for, and the least the law or the owner needs to read. */
const ACTIONS = {
  accept: { label: '整改通过', placeholder: '审核意见（可不填）', min: 0 },
  return: { label: '退回重新整改', placeholder: '写明退回理由（至少 4 个字）', min: 4 },
  confirm: { label: '确认立案调查', placeholder: '违法事实与检查情况（至少 4 个字），将送达当事人', min: 4 },
  drop: { label: '不予立案', placeholder: '写明不予立案的理由（至少 4 个字）', min: 4 },
} as const;
type Action = keyof typeof ACTIONS;

/** One waiting item: what it is, its clock, and the actions the desk takes on it with their words. */
function Item(props: {
  id: string;
  title: string;
  lines: string[];
  late: boolean;
  clock: string;
  actions: Action[];
  onAct: (action: Action, words: string) => Promise<void>;
  onOpenShop: () => void;
}) {
  const [open, setOpen] = useState<Action | null>(null);
  const [words, setWords] = useState('');
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const act = async () => {
    if (!open) return;
    setState({ busy: true });
    try {
      await props.onAct(open, words.trim());
    } catch (e) {
      setState({ busy: false, error: messageOf(e) });
    }
  };
  return (
    <View className="desk__card desk-item">
      <View className="desk__row">
        <View className="desk__who">
          <Text className="desk__title">{props.title}</Text>
          {props.lines.map((l, i) => (
            <Text key={i} className="desk__muted">
              {l}
            </Text>
          ))}
        </View>
        <StatusTag tone={props.late ? 'overdue' : 'waiting'} text={props.clock} />
      </View>
      <View className="desk__roles">
        <Button size="small" onClick={props.onOpenShop}>
          门店
        </Button>
        {props.actions.map((a) => (
          <Button
            key={a}
            size="small"
            className={`desk-action-${a}`}
            type={open === a ? 'primary' : 'default'}
            onClick={() => setOpen(a)}
          >
            {ACTIONS[a].label}
          </Button>
        ))}
      </View>
      {open && (
        <View className="desk__field">
          <Textarea
            className="desk__input desk-words"
            value={words}
            maxlength={500}
            placeholder={ACTIONS[open].placeholder}
            onInput={(e) => setWords(e.detail.value)}
          />
          <SubmitButton
            id={`desk-submit-${props.id}`}
            errorId={`desk-error-${props.id}`}
            loading={state.busy}
            disabled={words.trim().length < ACTIONS[open].min}
            error={state.error}
            onClick={() => void act()}
          >
            提交
          </SubmitButton>
        </View>
      )}
    </View>
  );
}

/**
 * The desk's queues by the legal clock: rectification replies to accept or return, and AI case
 * drafts to confirm or drop. Each action records who and why; the owner's app and message follow.
 */
export default function DeskPage() {
  const { params } = useRouter();
  const queue: Queue = params.queue === 'drafts' ? 'drafts' : 'replies';
  const { state, reload, set } = useLoadable(
    useCallback(async () => {
      await signedIn();
      return queue === 'replies'
        ? { notices: await api.noticeQueue({ status: 'replied' }), cases: [] as CaseView[] }
        : { notices: [] as NoticeView[], cases: await api.caseQueue({ status: 'draft' }) };
    }, [queue]),
  );
  useDidShow(() => {
    if (state.state === 'ready') reload();
  });
  if (state.state === 'loading') return <PageState state="loading" />;
  if (state.state === 'failed') return <PageState state="failed" error={state.error} onRetry={reload} />;
  const { notices, cases } = state.value;
  const done = (id: string) =>
    set({ notices: notices.filter((n) => n.id !== id), cases: cases.filter((c) => c.id !== id) });
  if (!notices.length && !cases.length) return <PageState state="empty" text={`${TITLES[queue]}：暂无`} />;

  return (
    <View className="desk" id={`desk-${queue}`}>
      {notices.map((n) => {
        const reply = n.replies[n.replies.length - 1];
        return (
          <Item
            key={n.id}
            id={n.id}
            title={`${n.shopName} · ${n.topicLabel}`}
            lines={[
              `${n.number} · 要求：${n.requirement}`,
              `整改回复：${reply?.text ?? ''}${reply?.photos.length ? `（附照片 ${reply.photos.length} 张）` : ''}`,
            ]}
            late={n.overdue}
            clock={`期限 ${n.deadline}`}
            actions={['accept', 'return']}
            onOpenShop={() => void openPage('shop', { id: n.establishmentId })}
            onAct={async (action, words) => {
              await api.reviewNotice(
                n.id,
                action === 'accept'
                  ? { decision: 'accept', ...(words ? { reason: words } : {}) }
                  : { decision: 'return', reason: words },
              );
              done(n.id);
            }}
          />
        );
      })}
      {cases.map((c) => (
        <Item
          key={c.id}
          id={c.id}
          title={`${c.shopName} · ${c.categoryLabel}`}
          lines={[`${c.number} · ${c.reason}`, `证据：${c.evidence?.captures.length ?? 0} 张抓拍`]}
          late={c.decisionOverdue}
          clock={c.decideBy ? `决定期限 ${c.decideBy}` : '待确认'}
          actions={['confirm', 'drop']}
          onOpenShop={() => void openPage('shop', { id: c.establishmentId })}
          onAct={async (action, words) => {
            if (action === 'confirm') await api.confirmCase(c.id, { notes: words });
            else await api.decideCase(c.id, { outcome: 'no_case', reason: words });
            done(c.id);
          }}
        />
      ))}
    </View>
  );
}
