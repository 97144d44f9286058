import { useCallback, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import {
  REGULATOR_ROLES,
  REGULATOR_ROLE_LABELS,
  type RegulatorAccount,
  type RegulatorInvitation,
  type RegulatorRole,
} from '@ygsa/shared';
import { PageState, StatusTag, SubmitButton, useLoadable } from '@ygsa/kit';
import { api, signedIn } from '../../api/client';
import { fieldErrorsOf, messageOf } from '../../api/errors';
import './index.scss';

const list = (s: string) =>
  s
    .split(/[，,、\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** A city administrator's page: the city's regulator accounts, and invitations for colleagues. */
export default function AccountsPage() {
  const { state, reload, set } = useLoadable(
    useCallback(async () => {
      await signedIn();
      const [accounts, invitations] = await Promise.all([api.accounts(), api.regulatorInvitations()]);
      return { accounts, invitations, loadedAt: Date.now() };
    }, []),
  );
  const [form, setForm] = useState({
    role: 'inspector' as RegulatorRole,
    name: '',
    districts: '',
    offices: '',
    cert: '',
  });
  const [sending, setSending] = useState<{ busy: boolean; error?: string; fields?: Record<string, string> }>({
    busy: false,
  });
  const [made, setMade] = useState<RegulatorInvitation | null>(null);

  if (state.state === 'loading') return <PageState state="loading" />;
  if (state.state === 'failed') return <PageState state="failed" error={state.error} onRetry={reload} />;
  const { accounts, invitations, loadedAt } = state.value;
  const expired = (i: { expiresAt: string }) => Date.parse(i.expiresAt) < loadedAt;

  const invite = async () => {
    setSending({ busy: true });
    try {
      const inv = await api.inviteRegulator({
        role: form.role,
        name: form.name.trim(),
        districts: list(form.districts),
        offices: list(form.offices),
        ...(form.cert.trim() ? { certificateNo: form.cert.trim() } : {}),
      });
      setMade(inv);
      set({ accounts, invitations: [inv, ...invitations], loadedAt });
      setForm({ ...form, name: '', cert: '' });
      setSending({ busy: false });
    } catch (e) {
      setSending({ busy: false, error: messageOf(e), fields: fieldErrorsOf(e) });
    }
  };
  const end = async (a: RegulatorAccount) => {
    try {
      const changed = await api.updateAccount(a.userId, { active: !a.active });
      set({ invitations, loadedAt, accounts: accounts.map((x) => (x.userId === a.userId ? changed : x)) });
    } catch (e) {
      setSending({ busy: false, error: messageOf(e) });
    }
  };
  const field = (key: keyof typeof form, label: string, placeholder: string, errorKey: string) => (
    <View className="accounts__field">
      <Text className="accounts__label">{label}</Text>
      <Input
        id={`invite-${key}`}
        className="accounts__input"
        value={form[key]}
        placeholder={placeholder}
        onInput={(e) => setForm({ ...form, [key]: e.detail.value })}
      />
      {sending.fields?.[errorKey] && <Text className="accounts__error">{sending.fields[errorKey]}</Text>}
    </View>
  );

  return (
    <View className="accounts">
      <View className="accounts__card" id="invite-form">
        <Text className="accounts__title">邀请同事</Text>
        <View className="accounts__roles">
          {REGULATOR_ROLES.map((r) => (
            <Button
              key={r}
              id={`invite-role-${r}`}
              type={form.role === r ? 'primary' : 'default'}
              onClick={() => setForm({ ...form, role: r })}
            >
              {REGULATOR_ROLE_LABELS[r]}
            </Button>
          ))}
        </View>
        {field('name', '姓名', '被邀请人的姓名', 'name')}
        {form.role !== 'city_admin' && field('districts', '辖区', '如：西湖区、上城区', 'districts')}
        {form.role !== 'city_admin' && field('offices', '所（投诉举报）', '如：西湖区市场监督管理所', 'offices')}
        {form.role === 'inspector' && field('cert', '执法证号', '6–24 位字母或数字', 'certificateNo')}
        <SubmitButton
          id="invite-submit"
          errorId="invite-error"
          loading={sending.busy}
          disabled={form.name.trim().length < 2}
          error={sending.error}
          onClick={() => void invite()}
        >
          生成邀请码
        </SubmitButton>
        {made && (
          <View className="accounts__made" id="invite-code">
            <Text>邀请码（7 天内有效，仅可使用一次）：</Text>
            <Text className="accounts__code" userSelect>
              {made.code}
            </Text>
            <Text className="accounts__muted">
              {made.name} · {made.roleLabel} · {made.jurisdictionLabel || '全市'}
            </Text>
          </View>
        )}
      </View>

      <View className="accounts__card" id="account-list">
        <Text className="accounts__title">监管账号（{accounts.length}）</Text>
        {accounts.map((a) => (
          <View key={a.userId} className="accounts__row">
            <View className="accounts__who">
              <Text>
                {a.name} · {a.roleLabel}
              </Text>
              <Text className="accounts__muted">{a.jurisdictionLabel}</Text>
            </View>
            <StatusTag tone={a.active ? 'done' : 'refused'} text={a.active ? '在用' : '已停用'} />
            <Button size="small" onClick={() => void end(a)}>
              {a.active ? '停用' : '启用'}
            </Button>
          </View>
        ))}
      </View>

      <View className="accounts__card" id="invitation-list">
        <Text className="accounts__title">已发邀请</Text>
        {!invitations.length && <Text className="accounts__muted">还没有邀请</Text>}
        {invitations.map((i) => (
          <View key={i.code} className="accounts__row">
            <View className="accounts__who">
              <Text>
                {i.name} · {i.roleLabel}
              </Text>
              <Text className="accounts__muted">
                {i.code} · {i.jurisdictionLabel || '全市'}
              </Text>
            </View>
            <StatusTag
              tone={i.usedAt ? 'done' : i.revoked || expired(i) ? 'refused' : 'waiting'}
              text={i.usedAt ? '已绑定' : i.revoked ? '已作废' : expired(i) ? '已过期' : '待绑定'}
            />
          </View>
        ))}
      </View>
    </View>
  );
}
