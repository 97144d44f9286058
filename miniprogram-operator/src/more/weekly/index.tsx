import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Picker, Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { WEEKLY_CLASSIFICATION_LABELS, addDays } from '@ygsa/shared';
import { api, drafts, newIdempotencyKey, signedIn } from '../../api/client';
import './index.scss';
import { messageOf } from '../../api/errors';

type Classification = keyof typeof WEEKLY_CLASSIFICATION_LABELS;
interface Issue {
  description: string;
  classification: Classification;
  owner: string;
  dueDate: string;
}
interface Draft {
  idempotencyKey: string;
  summary: string;
  issues: Issue[];
}

/** 周排查: pre-filled from the week's daily records; each issue classified with an owner and a due date. */
export default function WeeklyPage() {
  const { params } = useRouter<{ shop?: string; period?: string }>();
  const shop = params.shop ?? '';
  const weekStart = params.period ?? '';
  const key = `weekly.${shop}.${weekStart}`;
  const [draft, setDraft] = useState<Draft | null>(() => drafts<Draft>(key).load() ?? null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (draft) return;
    let live = true;
    void signedIn()
      .then(() => api.weeklyDraft(shop, weekStart))
      .then(
        (d) =>
          live &&
          setDraft({
            idempotencyKey: newIdempotencyKey(),
            summary: d.summary,
            issues: d.issues.map((i) => ({
              description: `${i.description}${i.action ? `（已处理：${i.action}）` : ''}`,
              classification: 'fixed',
              owner: '',
              dueDate: addDays(weekStart, 6),
            })),
          }),
        (e: unknown) => live && setError(e instanceof Error ? e.message : '加载失败'),
      );
    return () => {
      live = false;
    };
  }, [draft, shop, weekStart]);

  if (!draft) return <Text className="form__pad">{error ?? '正在汇总本周日管控…'}</Text>;
  const change = (next: Draft) => {
    setDraft(next);
    drafts<Draft>(key).save(next);
  };
  const setIssue = (i: number, patch: Partial<Issue>) =>
    change({ ...draft, issues: draft.issues.map((x, j) => (j === i ? { ...x, ...patch } : x)) });

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.submitWeekly(shop, {
        idempotencyKey: draft.idempotencyKey,
        weekStart,
        summary: draft.summary,
        issues: draft.issues,
      });
      drafts(key).clear();
      void Taro.showToast({ title: '已提交', icon: 'success' });
      setTimeout(() => void Taro.navigateBack(), 600);
    } catch (e) {
      setError(messageOf(e, '提交失败'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="form">
      <Text className="form__title">{weekStart} 起一周 · 周排查</Text>
      <Text className="form__label">本周小结</Text>
      <Textarea
        className="form__area"
        value={draft.summary}
        maxlength={1000}
        onInput={(e) => change({ ...draft, summary: e.detail.value })}
      />
      <Text className="form__label">问题清单（{draft.issues.length} 项）</Text>
      {draft.issues.map((issue, i) => (
        <View key={i} className="form__card">
          <Textarea
            id={`issue-${i}-text`}
            className="form__area form__area--small"
            value={issue.description}
            onInput={(e) => setIssue(i, { description: e.detail.value })}
          />
          <View className="form__choices">
            {(Object.keys(WEEKLY_CLASSIFICATION_LABELS) as Classification[]).map((c) => (
              <Text
                key={c}
                className={`form__choice ${issue.classification === c ? 'form__choice--on' : ''}`}
                onClick={() => setIssue(i, { classification: c })}
              >
                {WEEKLY_CLASSIFICATION_LABELS[c]}
              </Text>
            ))}
          </View>
          <Input
            id={`issue-${i}-owner`}
            className="form__input"
            placeholder="责任人"
            value={issue.owner}
            onInput={(e) => setIssue(i, { owner: e.detail.value })}
          />
          <Picker
            mode="date"
            value={issue.dueDate}
            start={weekStart}
            onChange={(e) => setIssue(i, { dueDate: String(e.detail.value) })}
          >
            <View className="form__input form__picker" id={`due-${i}`}>
              <Text className="form__muted">完成期限</Text>
              <Text>{issue.dueDate} ›</Text>
            </View>
          </Picker>
        </View>
      ))}
      <Button
        id="add-issue"
        size="small"
        onClick={() =>
          change({
            ...draft,
            issues: [
              ...draft.issues,
              { description: '', classification: 'tracking', owner: '', dueDate: addDays(weekStart, 13) },
            ],
          })
        }
      >
        添加问题
      </Button>
      {error && (
        <Text className="form__error" id="weekly-error">
          {error}
        </Text>
      )}
      <Button id="submit-weekly" type="primary" size="large" block loading={busy} onClick={() => void submit()}>
        提交周排查报告
      </Button>
    </View>
  );
}
