import { useCallback, useEffect, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { CaseView, NoticeView, ReminderView } from '@ygsa/shared';
import { PageState, StatusTag } from '@ygsa/kit';
import { caseStatus, noticeStatus } from '../../components/statuses';
import { api, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import { openPage } from '../../nav';
import { StoredPhoto } from '../../components/Photos';
import './index.scss';

type Items = { reminders: ReminderView[]; notices: NoticeView[]; cases: CaseView[] };
const when = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

/** 整改与执法: AI reminders to acknowledge, rectification notices to answer, enforcement cases. */
export default function NoticesPage() {
  const { params } = useRouter<{ shop?: string }>();
  const shop = params.shop ?? '';
  const [items, setItems] = useState<Items | null>(null);
  const [error, setError] = useState<string>();
  const [loadError, setLoadError] = useState<unknown>();

  const fetchItems = useCallback(async (): Promise<{ items?: Items; error?: unknown }> => {
    try {
      await signedIn();
      return { items: await api.enforcement(shop) };
    } catch (e) {
      return { error: e };
    }
  }, [shop]);
  const show = (r: { items?: Items; error?: unknown }) => {
    if (r.items) setItems(r.items);
    setLoadError(r.error);
    setError(r.error === undefined ? undefined : messageOf(r.error, '加载失败'));
  };
  const load = () => fetchItems().then(show);
  useEffect(() => {
    let live = true;
    void fetchItems().then((r) => live && show(r));
    return () => {
      live = false;
    };
  }, [fetchItems]);
  useDidShow(() => void load()); // back from a notice or case: show its new state
  usePullDownRefresh(() => void load().finally(() => void Taro.stopPullDownRefresh()));

  const acknowledge = async (id: string) => {
    try {
      await api.acknowledgeReminder(shop, id);
      void Taro.showToast({ title: '已确认', icon: 'success' });
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  if (loadError !== undefined && !items)
    return <PageState state="failed" error={loadError} onRetry={() => void load()} />;
  if (!items) return <PageState state="loading" />;
  const pending = items.reminders.filter((r) => !r.acknowledgedAt && !r.escalatedAt);
  return (
    <View className="enf">
      {error && <Text className="enf__error">{error}</Text>}
      <View className="enf__section" id="reminders">
        <Text className="enf__title">AI 抓拍提醒</Text>
        {pending.length === 0 && <Text className="enf__muted">没有待确认的提醒</Text>}
        {pending.map((r) => (
          <View key={r.id} className="enf__card" id={`reminder-${r.id}`}>
            <View className="enf__row">
              <Text className="enf__head">{r.categoryLabel}</Text>
              <StatusTag tone="overdue" text="待确认" />
            </View>
            <Text className="enf__text">{r.reason}</Text>
            {r.captures.length > 0 && (
              <View className="photos__grid" id={`reminder-${r.id}-captures`}>
                {r.captures.map((c) => (
                  <StoredPhoto
                    key={c.id}
                    id={c.snapshot}
                    caption={`${c.zoneLabel} · ${c.cameraName}，抓拍于 ${when(c.capturedAt)}`}
                  />
                ))}
              </View>
            )}
            <Text className="enf__muted">
              {when(r.issuedAt)} 提醒 · 请在 {when(r.answerBy)} 前确认整改，逾期将转为整改通知
            </Text>
            <Button size="small" type="primary" onClick={() => void acknowledge(r.id)}>
              已知晓，立即整改
            </Button>
          </View>
        ))}
      </View>

      <View className="enf__section" id="notices">
        <Text className="enf__title">整改通知</Text>
        {items.notices.length === 0 && <Text className="enf__muted">没有整改通知</Text>}
        {items.notices.map((n) => (
          <View
            key={n.id}
            className={`enf__card status-edge status-edge--${noticeStatus(n)[0]}`}
            id={`notice-${n.id}`}
            onClick={() => void openPage('notice', { shop, id: n.id })}
          >
            <View className="enf__row">
              <Text className="enf__head">{n.topicLabel}</Text>
              <StatusTag tone={noticeStatus(n)[0]} text={noticeStatus(n)[1]} />
            </View>
            <Text className="enf__text">{n.requirement}</Text>
            <Text className="enf__muted">
              {n.number} · 整改期限 {n.deadline} ›
            </Text>
          </View>
        ))}
      </View>

      {items.cases.length > 0 && (
        <View className="enf__section" id="cases">
          <Text className="enf__title">非现场执法</Text>
          {items.cases.map((c) => (
            <View
              key={c.id}
              className={`enf__card status-edge status-edge--${caseStatus(c)[0]}`}
              id={`case-${c.id}`}
              onClick={() => void openPage('case', { shop, id: c.id })}
            >
              <View className="enf__row">
                <Text className="enf__head">{c.categoryLabel}</Text>
                <StatusTag tone={caseStatus(c)[0]} text={caseStatus(c)[1]} />
              </View>
              <Text className="enf__muted">{c.number} ›</Text>
            </View>
          ))}
        </View>
      )}
    </View>
  );
}
