import { useCallback } from 'react';
import { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { PageState, StatusTag, useLoadable } from '@ygsa/kit';
import { api, signedIn } from '../../api/client';
import { openPage } from '../../nav';
import './index.scss';

/** The caller's on-site inspections: drafts and those awaiting a signature first (a colleague signs here). */
export default function InspectionsPage() {
  const { state, reload } = useLoadable(
    useCallback(async () => {
      await signedIn();
      return api.myOnsite();
    }, []),
  );
  useDidShow(() => {
    if (state.state === 'ready') reload();
  });
  if (state.state === 'loading') return <PageState state="loading" />;
  if (state.state === 'failed') return <PageState state="failed" error={state.error} onRetry={reload} />;
  if (!state.value.length) return <PageState state="empty" text="还没有现场检查：在门店页点「开始现场检查」" />;
  return (
    <View className="onsites" id="onsite-list">
      {state.value.map((o) => (
        <View key={o.id} className="onsites__card" onClick={() => void openPage('inspect', { id: o.id })}>
          <View className="onsites__row">
            <View className="onsites__who">
              <Text className="onsites__title">{o.shopName}</Text>
              <Text className="onsites__muted">
                {o.date} · {o.inspectors.map((i) => `${i.name}${i.signed ? '（已签）' : ''}`).join('、')}
              </Text>
              <Text className="onsites__muted">
                得分 {o.score.total} · {o.score.resultLabel}
                {o.score.missing ? ` · 未检查 ${o.score.missing} 项` : ''}
              </Text>
            </View>
            <StatusTag
              tone={o.state === 'recorded' ? 'done' : o.state === 'signing' ? 'overdue' : 'waiting'}
              text={o.stateLabel}
            />
          </View>
        </View>
      ))}
    </View>
  );
}
