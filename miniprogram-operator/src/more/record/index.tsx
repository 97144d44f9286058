import { useCallback } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { WEEKLY_CLASSIFICATION_LABELS } from '@ygsa/shared';
import { PageState, StatusTag, useLoadable } from '@ygsa/kit';
import { api, signedIn } from '../../api/client';
import { PhotoGrid, StoredPhoto } from '../../components/Photos';
import './index.scss';

const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
const RESULT: Record<string, string> = { pass: '合格', fail: '不合格', na: '不适用' };

interface DailyItem {
  code: string;
  text: string;
  result: string;
  note: string;
  action: string;
  escalate: boolean;
  photos: string[];
}

function DailyContent({ c }: { c: Record<string, unknown> }) {
  const items = (c.items as DailyItem[] | undefined) ?? [];
  return (
    <View className="record__section" id="record-items">
      <Text className="record__title">
        {c.zeroRisk ? '检查结果：零风险' : `检查结果：不合格 ${String(c.failCount)} 项`}
      </Text>
      {items.map((i) => (
        <View key={i.code} className="record__item" id={`record-item-${i.code}`}>
          <View className="record__line">
            <Text className="record__text">
              {i.code} {i.text.split('：')[0]}
            </Text>
            <StatusTag
              tone={i.result === 'fail' ? 'overdue' : i.result === 'pass' ? 'done' : 'refused'}
              text={RESULT[i.result] ?? i.result}
            />
          </View>
          {i.note && <Text className="record__muted">问题：{i.note}</Text>}
          {i.action && <Text className="record__muted">处理：{i.action}</Text>}
          {i.escalate && <Text className="record__muted">已上报</Text>}
          <PhotoGrid ids={i.photos} id={`record-photos-${i.code}`} />
        </View>
      ))}
    </View>
  );
}

function WeeklyContent({ c }: { c: Record<string, unknown> }) {
  const issues =
    (c.issues as
      | {
          description: string;
          classification: keyof typeof WEEKLY_CLASSIFICATION_LABELS;
          owner: string;
          dueDate: string;
        }[]
      | undefined) ?? [];
  return (
    <View className="record__section" id="record-items">
      <Text className="record__title">本周小结</Text>
      <Text className="record__text">{String(c.summary ?? '')}</Text>
      <Text className="record__title">问题清单（{issues.length} 项）</Text>
      {issues.map((i, n) => (
        <View key={n} className="record__item">
          <Text className="record__text">{i.description}</Text>
          <Text className="record__muted">
            {WEEKLY_CLASSIFICATION_LABELS[i.classification]} · 责任人 {i.owner} · 期限 {i.dueDate}
          </Text>
        </View>
      ))}
    </View>
  );
}

function MonthlyContent({ c }: { c: Record<string, unknown> }) {
  return (
    <View className="record__section" id="record-items">
      <Text className="record__title">本月工作回顾</Text>
      <Text className="record__text">{String(c.review ?? '')}</Text>
      {c.openIssues ? (
        <>
          <Text className="record__title">未解决问题</Text>
          <Text className="record__text">{String(c.openIssues)}</Text>
        </>
      ) : null}
      <Text className="record__title">下月工作计划</Text>
      <Text className="record__text">{String(c.plan ?? '')}</Text>
      <Text className="record__muted">参会人员：{((c.attendees as string[] | undefined) ?? []).join('、')}</Text>
      {typeof c.signaturePhoto === 'string' && (
        <View id="record-signature">
          <StoredPhoto id={c.signaturePhoto} caption="主要负责人签名" />
        </View>
      )}
    </View>
  );
}

/** One self-check record as stored: its items, photos, signature, server time, and whether the hash chain holds. */
export default function RecordPage() {
  const { params } = useRouter<{ shop?: string; id?: string }>();
  const shop = params.shop ?? '';
  const id = params.id ?? '';
  const fetchIt = useCallback(async () => {
    await signedIn();
    return api.selfCheckRecord(shop, id);
  }, [shop, id]);
  const { state: load, reload } = useLoadable(fetchIt);

  if (load.state === 'loading') return <PageState state="loading" />;
  if (load.state === 'failed') return <PageState state="failed" error={load.error} onRetry={reload} />;
  const { record: r, verification: v } = load.value;
  return (
    <View className="record" id="record">
      <View className="record__section">
        <View className="record__line">
          <Text className="record__head" id="record-kind">
            {r.kindLabel} · {r.period}
          </Text>
          {r.late && <StatusTag tone="waiting" text="补录" />}
          {r.correctionOf && <StatusTag tone="refused" text="更正记录" />}
        </View>
        <Text className="record__muted" id="record-meta">
          {r.roleLabel}提交 · 服务器时间 {time(r.submittedAt)} · 第 {r.seq} 条
        </Text>
        <View className="record__line" id="record-verify">
          {v.intact && v.chainIntact ? (
            <StatusTag tone="done" text="哈希链校验通过" />
          ) : (
            <StatusTag tone="overdue" text={v.intact ? '此前的记录校验未通过' : '本记录校验未通过'} />
          )}
        </View>
        {v.breaks.map((b) => (
          <Text key={`${b.seq}-${b.reason}`} className="record__error">
            第 {b.seq} 条：{b.reason}
          </Text>
        ))}
        <Text className="record__hash">哈希 {r.hash}</Text>
      </View>
      {r.kind === 'daily' && <DailyContent c={r.content} />}
      {r.kind === 'weekly' && <WeeklyContent c={r.content} />}
      {r.kind === 'monthly' && <MonthlyContent c={r.content} />}
    </View>
  );
}
