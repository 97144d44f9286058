import { useCallback, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { addDays, chinaDate, type Plan } from '@ygsa/shared';
import { PageState, StatusTag, SubmitButton, useLoadable } from '@ygsa/kit';
import { api, newIdempotencyKey, signedIn } from '../../api/client';
import { fieldErrorsOf, messageOf } from '../../api/errors';
import { openPage } from '../../nav';
import './index.scss';

const list = (s: string) =>
  s
    .split(/[，,、\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

function PlanRow({ p }: { p: Plan }) {
  return (
    <View className="plans__row" onClick={() => void openPage('plan', { id: p.id })}>
      <View className="plans__who">
        <Text className="plans__name">{p.title}</Text>
        <Text className="plans__muted">
          {p.number} · {p.districtsLabel} · {p.from} 至 {p.to}
        </Text>
        <Text className="plans__muted">
          抽取 {p.drawn} / {p.eligible} 家 · 已完成 {p.done}
          {p.unassigned ? ` · ${p.unassigned} 家未能派足检查人员` : ''}
        </Text>
      </View>
      <StatusTag
        tone={p.state === 'published' ? (p.done >= p.drawn ? 'done' : 'waiting') : 'overdue'}
        text={p.state === 'published' ? (p.done >= p.drawn ? '已完成' : '进行中') : '抽取中'}
      />
    </View>
  );
}

/** 双随机 plans: the city's administrators draw one; everyone sees the plans of their districts. */
export default function PlansPage() {
  const { state, reload } = useLoadable(
    useCallback(async () => {
      await signedIn();
      const [account, plans] = await Promise.all([api.myAccount(), api.plans()]);
      return { account, plans, today: chinaDate(new Date()) };
    }, []),
  );
  useDidShow(() => {
    if (state.state === 'ready') reload();
  });
  const [form, setForm] = useState<{ title: string; from: string; to: string; districts: string; count: string }>({
    title: '',
    from: '',
    to: '',
    districts: '',
    count: '10',
  });
  // One key per plan asked for: a retried tap answers the same plan.
  const [key, setKey] = useState(newIdempotencyKey);
  const [sending, setSending] = useState<{ busy: boolean; error?: string; fields?: Record<string, string> }>({
    busy: false,
  });

  if (state.state === 'loading') return <PageState state="loading" />;
  if (state.state === 'failed') return <PageState state="failed" error={state.error} onRetry={reload} />;
  const { account, plans, today } = state.value;
  const from = form.from || today;
  const to = form.to || addDays(today, 30);

  const draw = async () => {
    setSending({ busy: true });
    try {
      const plan = await api.drawPlan({
        idempotencyKey: key,
        title: form.title.trim(),
        from,
        to,
        districts: list(form.districts),
        count: Number(form.count),
      });
      setKey(newIdempotencyKey());
      setSending({ busy: false });
      await openPage('plan', { id: plan.id });
    } catch (e) {
      setSending({ busy: false, error: messageOf(e), fields: fieldErrorsOf(e) });
    }
  };
  const field = (name: keyof typeof form, label: string, value: string, placeholder: string) => (
    <View className="plans__field">
      <Text className="plans__label">{label}</Text>
      <Input
        id={`plan-${name}`}
        className="plans__input"
        value={value}
        type={name === 'count' ? 'number' : 'text'}
        placeholder={placeholder}
        onInput={(e) => setForm({ ...form, [name]: e.detail.value })}
      />
      {sending.fields?.[name] && <Text className="plans__error">{sending.fields[name]}</Text>}
    </View>
  );

  return (
    <View className="plans">
      {account.role === 'city_admin' && (
        <View className="plans__card" id="plan-form">
          <Text className="plans__title">抽取新计划</Text>
          <Text className="plans__muted">
            按风险等级加权随机抽取在营门店（D 级被抽中的机会约为 A 级的 4
            倍），每家随机派两名辖区内无利害关系的检查人员；随机种子与抽取依据向社会公开，任何人可复核。
          </Text>
          {field('title', '计划名称', form.title, '如：2027 年第一季度餐饮服务双随机抽查')}
          {field('from', '开始日期', from, 'YYYY-MM-DD')}
          {field('to', '结束日期', to, 'YYYY-MM-DD')}
          {field('districts', '辖区（不填为全市）', form.districts, '如：示范区、东城区')}
          {field('count', '抽取门店数', form.count, '家数')}
          <SubmitButton
            id="plan-submit"
            errorId="plan-error"
            loading={sending.busy}
            disabled={form.title.trim().length < 2 || !Number(form.count)}
            error={sending.error}
            onClick={() => void draw()}
          >
            随机抽取并公开
          </SubmitButton>
        </View>
      )}
      <View className="plans__card" id="plan-list">
        <Text className="plans__title">抽查计划</Text>
        {!plans.length && <PageState state="empty" text="还没有抽查计划" id="plans-empty" />}
        {plans.map((p) => (
          <PlanRow key={p.id} p={p} />
        ))}
      </View>
    </View>
  );
}
