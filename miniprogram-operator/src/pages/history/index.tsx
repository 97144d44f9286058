import { useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { ApiError, type SelfCheckRecord } from '@ygsa/shared';
import { api, signedIn } from '../../api/client';
import './index.scss';

const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

function summary(r: SelfCheckRecord): string {
  const c = r.content as { zeroRisk?: boolean; failCount?: number; issues?: unknown[]; attendees?: string[] };
  if (r.kind === 'daily') return c.zeroRisk ? '零风险' : `不合格 ${c.failCount ?? 0} 项`;
  if (r.kind === 'weekly') return `问题 ${c.issues?.length ?? 0} 项`;
  return `参会 ${c.attendees?.length ?? 0} 人，已签名`;
}

/** Every record as submitted: server time, late marks and corrections shown, nothing hidden. */
export default function HistoryPage() {
  const { params } = useRouter<{ shop?: string }>();
  const [rows, setRows] = useState<SelfCheckRecord[] | null>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    void signedIn()
      .then(() => api.selfCheckHistory(params.shop ?? ''))
      .then(
        (r) => live && setRows(r),
        (e: unknown) => live && setError(e instanceof ApiError || e instanceof Error ? e.message : '加载失败'),
      );
    return () => {
      live = false;
    };
  }, [params.shop]);

  if (error) return <Text className="history__muted history__pad">{error}</Text>;
  if (!rows) return <Text className="history__muted history__pad">正在加载…</Text>;
  if (!rows.length) return <Text className="history__muted history__pad">还没有自查记录</Text>;
  return (
    <View className="history" id="history-list">
      {rows.map((r) => (
        <View key={r.id} className="history__row" data-kind={r.kind}>
          <View className="history__line">
            <Text className="history__kind">
              {r.kindLabel} · {r.period}
            </Text>
            {r.late && <Text className="history__late">补录</Text>}
            {r.correctionOf && <Text className="history__fix">更正</Text>}
          </View>
          <Text className="history__muted">
            {summary(r)} · {r.roleLabel} · 提交于 {time(r.submittedAt)}
          </Text>
        </View>
      ))}
    </View>
  );
}
