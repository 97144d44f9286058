import { useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { ApiError, formatChineseDate, type ComplaintView } from '@ygsa/shared';
import { api, deviceKeys, signedIn } from '../../api/client';
import './index.scss';

const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** 我的投诉举报: each one with its timeline and the legal deadline of its current step. */
export default function MyComplaintsPage() {
  const { params } = useRouter<{ filed?: string }>();
  const [rows, setRows] = useState<ComplaintView[] | null>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    void signedIn()
      .then(() => api.myComplaints(deviceKeys.all()))
      .then(
        (r) => live && setRows(r),
        (e: unknown) => live && setError(e instanceof ApiError || e instanceof Error ? e.message : '加载失败'),
      );
    return () => {
      live = false;
    };
  }, []);

  if (error) return <Text className="mine__pad">{error}</Text>;
  if (!rows) return <Text className="mine__pad">正在加载…</Text>;
  return (
    <View className="mine" id="my-complaints">
      {params.filed && (
        <Text className="mine__ok" id="filed">
          已提交，编号 {params.filed}
        </Text>
      )}
      {rows.length === 0 && <Text className="mine__pad">还没有投诉举报</Text>}
      {rows.map((c) => (
        <View key={c.id} className="mine__card" data-number={c.number}>
          <Text className="mine__title">
            {c.typeLabel} · {c.shopName} · {c.categoryLabel}
          </Text>
          <Text className="mine__status">
            {c.statusLabel}
            {c.deadline && c.deadlineLabel ? ` · ${c.deadlineLabel} ${formatChineseDate(c.deadline)}` : ''}
            {c.overdue ? '（已超期）' : ''}
          </Text>
          <Text className="mine__muted">
            编号 {c.number} · 承办 {c.office}
          </Text>
          <View className="mine__timeline">
            {c.timeline.map((t) => (
              <Text key={t.at + t.status} className="mine__step">
                {when(t.at)} {t.statusLabel}
                {t.note ? `：${t.note}` : ''}
              </Text>
            ))}
          </View>
        </View>
      ))}
    </View>
  );
}
