import { useCallback, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { drawPlan, sameDraw } from '@ygsa/shared';
import { PageState, StatusTag, useLoadable } from '@ygsa/kit';
import { api, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import { openPage } from '../../nav';
import './index.scss';

/**
 * A plan: its request, seed and tasks; and a check anyone can make: the draw run again here, on
 * this phone, from the plan's published input and seed, compared with what was published.
 */
export default function PlanPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const { state, reload } = useLoadable(
    useCallback(async () => {
      await signedIn();
      return api.plan(id);
    }, [id]),
  );
  const [check, setCheck] = useState<{ busy: boolean; text?: string; same?: boolean }>({ busy: false });

  if (state.state === 'loading') return <PageState state="loading" />;
  if (state.state === 'failed') return <PageState state="failed" error={state.error} onRetry={reload} />;
  const p = state.value;

  const verify = async () => {
    setCheck({ busy: true });
    try {
      const open = await api.openPlanDraw(p.id);
      const same = sameDraw(drawPlan(open.input), open.tasks) && open.input.seed === p.seed;
      setCheck({
        busy: false,
        same,
        text: same
          ? `核验一致：以种子 ${open.input.seed.slice(0, 8)}… 重新抽取，${open.tasks.length} 家门店及检查人员与公布结果相同`
          : '核验不一致：重新抽取的结果与公布结果不同，请联系管理员',
      });
    } catch (e) {
      setCheck({ busy: false, text: messageOf(e) });
    }
  };

  return (
    <View className="plan" id="plan-detail">
      <View className="plan__card">
        <Text className="plan__title" id="plan-title">
          {p.title}
        </Text>
        <Text className="plan__muted">
          {p.number} · {p.districtsLabel} · {p.from} 至 {p.to}
        </Text>
        <Text className="plan__muted" id="plan-summary">
          在营门店 {p.eligible} 家，抽取 {p.drawn} 家，已完成 {p.done} 家
        </Text>
        <Text className="plan__muted" id="plan-seed" userSelect>
          随机种子：{p.seed}
        </Text>
        <Button id="plan-verify" size="small" loading={check.busy} onClick={() => void verify()}>
          用种子重新抽取核验
        </Button>
        {check.text && (
          <Text id="plan-verified" className={check.same ? 'plan__ok' : 'plan__error'}>
            {check.text}
          </Text>
        )}
      </View>

      <View className="plan__card" id="plan-tasks">
        <Text className="plan__title">抽取结果（按抽取顺序）</Text>
        {!p.tasks.length && <PageState state="empty" text="本计划没有抽取到门店" />}
        {p.tasks.map((t) => (
          <View key={t.id} className="plan__row" onClick={() => void openPage('shop', { id: t.shopId })}>
            <View className="plan__who">
              <Text>
                {t.order + 1}. {t.shopName}（风险 {t.risk} 级）
              </Text>
              <Text className="plan__muted">
                {t.district} · 检查人员：{t.inspectors.map((i) => i.name).join('、') || '未派员'}
              </Text>
              {t.unassigned && <Text className="plan__error">{t.unassigned}</Text>}
              {t.status === 'done' && (
                <Text className="plan__muted">
                  {t.outcomeLabel}
                  {t.inspection ? `（${t.inspection.date}，${t.inspection.total} 分）` : ''}
                  {t.note ? `：${t.note}` : ''}
                </Text>
              )}
            </View>
            <StatusTag
              tone={t.status === 'done' ? 'done' : 'waiting'}
              text={t.status === 'done' ? '已完成' : '待检查'}
            />
          </View>
        ))}
      </View>
    </View>
  );
}
