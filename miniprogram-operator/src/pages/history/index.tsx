import { useCallback } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { type SelfCheckRecord } from '@ygsa/shared';
import { PageState, StatusTag, useLoadable } from '@ygsa/kit';
import { api, signedIn } from '../../api/client';
import { openPage } from '../../nav';
import './index.scss';

const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

function summary(r: SelfCheckRecord): string {
  const c = r.content as { zeroRisk?: boolean; failCount?: number; issues?: unknown[]; attendees?: string[] };
  if (r.kind === 'daily') return c.zeroRisk ? '零风险' : `不合格 ${c.failCount ?? 0} 项`;
  if (r.kind === 'weekly') return `问题 ${c.issues?.length ?? 0} 项`;
  return `参会 ${c.attendees?.length ?? 0} 人，已签名`;
}

/** Every record as submitted: server time, late marks and corrections shown, nothing hidden; each opens. */
export default function HistoryPage() {
  const { params } = useRouter<{ shop?: string }>();
  const shop = params.shop ?? '';
  const fetchRows = useCallback(async () => {
    await signedIn();
    return api.selfCheckHistory(shop);
  }, [shop]);
  const { state: load, reload } = useLoadable(fetchRows);

  if (load.state === 'loading') return <PageState state="loading" />;
  if (load.state === 'failed') return <PageState state="failed" error={load.error} onRetry={reload} />;
  if (!load.value.length) return <PageState state="empty" text="还没有自查记录" />;
  return (
    <View className="history" id="history-list">
      {load.value.map((r) => (
        <View
          key={r.id}
          className="history__row"
          data-kind={r.kind}
          id={`record-${r.id}`}
          onClick={() => void openPage('record', { shop, id: r.id })}
        >
          <View className="history__line">
            <Text className="history__kind">
              {r.kindLabel} · {r.period}
            </Text>
            {r.late && <StatusTag tone="waiting" text="补录" />}
            {r.correctionOf && <StatusTag tone="refused" text="更正" />}
          </View>
          <Text className="history__muted">
            {summary(r)} · {r.roleLabel} · 提交于 {time(r.submittedAt)} ›
          </Text>
        </View>
      ))}
    </View>
  );
}
