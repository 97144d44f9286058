import { useCallback, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { PageState, StatusTag, SubmitButton, useLoadable } from '@ygsa/kit';
import { openPage } from '../../nav';
import { messageOf } from '../../api/errors';
import { api, signedIn } from '../../api/client';
import './index.scss';

const RISK_TONE = { A: 'done', B: 'waiting', C: 'overdue', D: 'overdue' } as const;

/** A shop as regulators see it: its licence and standing, its grade, its risk level and why. */
export default function ShopPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const { state, reload } = useLoadable(
    useCallback(async () => {
      await signedIn();
      const [shop, complaints, notices, rates, timeline] = await Promise.all([
        api.shop(id),
        api.complaintQueue({ establishmentId: id }),
        api.noticeQueue({ establishmentId: id }),
        api.shopSelfCheckRates(id),
        api.shopTimeline(id),
      ]);
      return { shop, complaints, notices, rates, timeline };
    }, [id]),
  );
  const [owner, setOwner] = useState<{ busy: boolean; code?: string; error?: string }>({ busy: false });
  const inviteOwner = async () => {
    setOwner({ busy: true });
    try {
      setOwner({ busy: false, code: (await api.ownerInvitation(id)).code });
    } catch (e) {
      setOwner({ busy: false, error: messageOf(e) });
    }
  };
  if (state.state === 'loading') return <PageState state="loading" />;
  if (state.state === 'failed') return <PageState state="failed" error={state.error} onRetry={reload} />;
  const { shop: s, complaints, notices, rates, timeline } = state.value;
  const pct = (r: { rate: number | null; expected: number }) =>
    r.rate === null ? '暂无应报记录' : `${Math.round(r.rate * 100)}%（应报 ${r.expected} 次）`;
  const g = s.grade;

  return (
    <View className="shop" id="regulator-shop">
      <View className="shop__card">
        <View className="shop__line">
          <Text className="shop__name" id="shop-name">
            {s.name}
          </Text>
          <StatusTag tone={s.status === 'open' ? 'done' : 'refused'} text={s.statusLabel} />
        </View>
        <Text className="shop__muted">
          {s.district} · {s.address}
        </Text>
        <Text className="shop__muted">
          {s.businessTypeLabel} · {s.floorAreaM2} ㎡ · 每餐 {s.dinersPerMeal} 人 · 营业 {s.openingHours}
        </Text>
        <Text className="shop__muted">
          {s.licence.typeLabel} {s.licence.number}（有效期至 {s.licence.validTo}）
        </Text>
      </View>

      <View className="shop__card" id="shop-grade">
        <Text className="shop__label">信用等级</Text>
        <Text className={`shop__grade shop__grade--${g.colour}`}>
          {g.grade ? `${g.grade} · ${g.label}` : g.label}
          {g.stale ? '（超过12个月未更新）' : ''}
        </Text>
        {g.reasons.map((r, i) => (
          <Text key={i} className="shop__muted">
            {r}
          </Text>
        ))}
      </View>

      {s.risk && (
        <View className="shop__card" id="shop-risk">
          <View className="shop__line">
            <Text className="shop__label">风险等级</Text>
            <StatusTag tone={RISK_TONE[s.risk.level]} text={`${s.risk.level} 级 · ${s.risk.score} 分`} />
          </View>
          <Text id="shop-inspections-due">
            年度检查频次：{s.risk.inspectionsPerYear.min}–{s.risk.inspectionsPerYear.max} 次
          </Text>
          {s.risk.reasons.map((r, i) => (
            <Text key={i} className="shop__muted">
              {r}
            </Text>
          ))}
        </View>
      )}

      <View className="shop__card" id="shop-inspect">
        <Text className="shop__label">现场监督检查</Text>
        <Text className="shop__muted">
          按检查要点表逐项检查，两名执法人员及门店负责人签名后归档，结果进入门店公示档案。
        </Text>
        <Button id="start-inspection" type="primary" onClick={() => void openPage('inspect', { shop: s.id })}>
          开始现场检查
        </Button>
      </View>

      <View className="shop__card" id="owner-invitation">
        <Text className="shop__label">经营端</Text>
        <Text className="shop__muted">主要负责人凭邀请码在经营端小程序绑定门店（7 天内有效，使用一次）。</Text>
        {owner.code ? (
          <Text className="shop__code" id="owner-code" userSelect>
            {owner.code}
          </Text>
        ) : (
          <SubmitButton
            id="owner-invite"
            errorId="owner-error"
            loading={owner.busy}
            error={owner.error}
            onClick={() => void inviteOwner()}
          >
            发放主要负责人邀请码
          </SubmitButton>
        )}
      </View>

      <View className="shop__card" id="shop-selfchecks">
        <Text className="shop__label">自查按时率</Text>
        <Text className="shop__muted">日管控（近 30 天）：{pct(rates.daily)}</Text>
        <Text className="shop__muted">周排查（近 12 周）：{pct(rates.weekly)}</Text>
        <Text className="shop__muted">月调度（近 12 个月）：{pct(rates.monthly)}</Text>
      </View>

      <View className="shop__card" id="shop-notices">
        <Text className="shop__label">整改通知（{notices.length}）</Text>
        {!notices.length && <Text className="shop__muted">暂无</Text>}
        {notices.slice(0, 10).map((n) => (
          <Text key={n.id} className={n.overdue ? 'shop__late' : 'shop__muted'}>
            {n.issuedAt.slice(0, 10)} · {n.topicLabel} · {n.statusLabel}
            {n.overdue ? ' · 已超期' : ''}
          </Text>
        ))}
      </View>

      <View className="shop__card" id="shop-timeline">
        <Text className="shop__label">执法时间线</Text>
        {!timeline.length && <Text className="shop__muted">暂无</Text>}
        {timeline.slice(0, 20).map((t, i) => (
          <Text key={i} className="shop__muted">
            {t.at.slice(0, 16).replace('T', ' ')} · {t.summary}
          </Text>
        ))}
      </View>

      <View className="shop__card" id="shop-complaints">
        <Text className="shop__label">投诉举报（{complaints.total}）</Text>
        {!complaints.items.length && <Text className="shop__muted">暂无</Text>}
        {complaints.items.slice(0, 5).map((c) => (
          <Text key={c.id} className="shop__muted">
            {c.createdAt.slice(0, 10)} · {c.typeLabel} · {c.categoryLabel} · {c.statusLabel}
          </Text>
        ))}
      </View>
    </View>
  );
}
