import { useCallback, useState } from 'react';
import { useDidShow, useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { RegulatorComplaint } from '@ygsa/shared';
import { PageState, StatusTag, useLoadable } from '@ygsa/kit';
import { api, signedIn } from '../../api/client';
import { openPage } from '../../nav';
import './index.scss';

/** The desk's filters, each a queue by the legal clock (the nearest deadline first). */
const FILTERS = [
  { key: 'submitted', label: '待受理', query: { status: 'submitted' } },
  { key: 'accepted', label: '已受理', query: { status: 'accepted' } },
  { key: 'in_progress', label: '处理中', query: { status: 'in_progress' } },
  { key: 'overdue', label: '已超期', query: { overdue: true } },
  { key: 'resolved', label: '已办结', query: { status: 'resolved' } },
] as const;
type FilterKey = (typeof FILTERS)[number]['key'];

function tone(c: RegulatorComplaint) {
  if (c.overdue) return 'overdue' as const;
  if (c.status === 'resolved') return 'done' as const;
  if (c.status === 'not_accepted' || c.status === 'mediation_ended') return 'refused' as const;
  return 'waiting' as const;
}

/** The complaints and reports of the regulator's offices and districts, queue by queue. */
export default function ComplaintsPage() {
  const { params } = useRouter();
  const [filter, setFilter] = useState<FilterKey>(
    params.overdue === 'true' ? 'overdue' : ((params.status as FilterKey) ?? 'submitted'),
  );
  const load = useCallback(async () => {
    await signedIn();
    const f = FILTERS.find((x) => x.key === filter) ?? FILTERS[0];
    return api.complaintQueue({ ...f.query, page: 1 });
  }, [filter]);
  const { state, reload } = useLoadable(load);
  // Back from a complaint just acted on: the queue moved.
  useDidShow(() => {
    if (state.state === 'ready') reload();
  });

  return (
    <View className="queue">
      <View className="queue__filters" id="complaint-filters">
        {FILTERS.map((f) => (
          <Text
            key={f.key}
            id={`filter-${f.key}`}
            className={`queue__chip ${f.key === filter ? 'queue__chip--on' : ''}`}
            onClick={() => setFilter(f.key)}
          >
            {f.label}
          </Text>
        ))}
      </View>
      {state.state === 'loading' && <PageState state="loading" />}
      {state.state === 'failed' && <PageState state="failed" error={state.error} onRetry={reload} />}
      {state.state === 'ready' && !state.value.items.length && <PageState state="empty" text="这个队列里没有事项" />}
      {state.state === 'ready' && state.value.items.length > 0 && (
        <View className="queue__list" id="complaint-list">
          {state.value.items.map((c) => (
            <View
              key={c.id}
              className={`queue__item ${c.overdue ? 'queue__item--late' : ''}`}
              id={`complaint-${c.id}`}
              onClick={() => void openPage('complaint', { id: c.id })}
            >
              <View className="queue__line">
                <Text className="queue__title">
                  {c.typeLabel} · {c.categoryLabel}
                </Text>
                <StatusTag tone={tone(c)} text={c.overdue ? `${c.statusLabel}·已超期` : c.statusLabel} />
              </View>
              <Text className="queue__muted">
                {c.number} · {c.shopName}
              </Text>
              {c.deadline && (
                <Text className={c.overdue ? 'queue__late' : 'queue__muted'}>
                  {c.deadlineLabel}：{c.deadline}
                </Text>
              )}
            </View>
          ))}
        </View>
      )}
    </View>
  );
}
