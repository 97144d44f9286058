import { useCallback, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { TASK_OUTCOME_LABELS, type PlanTask, type TaskCloseInput } from '@ygsa/shared';
import { PageState, StatusTag, SubmitButton, useLoadable } from '@ygsa/kit';
import { api, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import { openPage } from '../../nav';
import './index.scss';

const CLOSE_OUTCOMES = ['not_operating', 'not_found', 'refused'] as const;

/** An inspector's 双随机 tasks: open ones by their deadline, each closed by an inspection or with a reason. */
export default function TasksPage() {
  const { state, reload, set } = useLoadable(
    useCallback(async () => {
      await signedIn();
      return api.myTasks();
    }, []),
  );
  useDidShow(() => {
    if (state.state === 'ready') reload();
  });
  const [closing, setClosing] = useState<{
    id: string;
    outcome: TaskCloseInput['outcome'] | null;
    note: string;
    busy: boolean;
    error?: string;
  } | null>(null);

  if (state.state === 'loading') return <PageState state="loading" />;
  if (state.state === 'failed') return <PageState state="failed" error={state.error} onRetry={reload} />;
  const tasks = state.value;
  if (!tasks.length) return <PageState state="empty" text="暂无检查任务：抽查计划抽中您后，任务会出现在这里" />;

  const close = async (t: PlanTask) => {
    if (!closing?.outcome) return;
    setClosing({ ...closing, busy: true, error: undefined });
    try {
      const done = await api.closeTask(t.id, { outcome: closing.outcome, note: closing.note.trim() });
      set(tasks.map((x) => (x.id === t.id ? done : x)));
      setClosing(null);
    } catch (e) {
      setClosing({ ...closing, busy: false, error: messageOf(e) });
    }
  };

  return (
    <View className="tasks" id="task-list">
      {tasks.map((t) => (
        <View key={t.id} className="tasks__card" id={`task-${t.order}`}>
          <View className="tasks__row">
            <View className="tasks__who">
              <Text className="tasks__title">{t.shopName}</Text>
              <Text className="tasks__muted">
                {t.planTitle} · 风险 {t.risk} 级 · 期限 {t.due}
              </Text>
              <Text className="tasks__muted">检查人员：{t.inspectors.map((i) => i.name).join('、')}</Text>
            </View>
            <StatusTag
              tone={t.status === 'done' ? 'done' : 'waiting'}
              text={t.status === 'done' ? '已完成' : '待检查'}
            />
          </View>
          {t.status === 'done' ? (
            <Text className="tasks__muted">
              {t.outcomeLabel}
              {t.inspection ? `（${t.inspection.date}，${t.inspection.total} 分）` : ''}
              {t.note ? `：${t.note}` : ''}
            </Text>
          ) : (
            <View className="tasks__roles">
              <Button size="small" onClick={() => void openPage('shop', { id: t.shopId })}>
                查看门店
              </Button>
              <Button
                size="small"
                className="task-close"
                onClick={() => setClosing({ id: t.id, outcome: null, note: '', busy: false })}
              >
                无法检查
              </Button>
            </View>
          )}
          {t.status !== 'done' && <Text className="tasks__muted">录入该门店的监督检查后，任务自动完成。</Text>}
          {closing?.id === t.id && (
            <View className="tasks__field" id="task-close-form">
              <View className="tasks__roles">
                {CLOSE_OUTCOMES.map((o) => (
                  <Button
                    key={o}
                    id={`task-outcome-${o}`}
                    size="small"
                    type={closing.outcome === o ? 'primary' : 'default'}
                    onClick={() => setClosing({ ...closing, outcome: o })}
                  >
                    {TASK_OUTCOME_LABELS[o]}
                  </Button>
                ))}
              </View>
              <Textarea
                id="task-note"
                className="tasks__input"
                value={closing.note}
                maxlength={200}
                placeholder="说明现场情况（至少 4 个字）"
                onInput={(e) => setClosing({ ...closing, note: e.detail.value })}
              />
              <SubmitButton
                id="task-close-submit"
                errorId="task-close-error"
                loading={closing.busy}
                disabled={!closing.outcome || closing.note.trim().length < 4}
                error={closing.error}
                onClick={() => void close(t)}
              >
                提交
              </SubmitButton>
            </View>
          )}
        </View>
      ))}
    </View>
  );
}
