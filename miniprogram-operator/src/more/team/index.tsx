import { useCallback, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { type Invitation, type TeamMember } from '@ygsa/shared';
import { PageState, StatusTag, useLoadable } from '@ygsa/kit';
import { invitationStatus } from '../../components/statuses';
import { api, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import './index.scss';

const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
const day = (iso: string) => new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });

interface Team {
  members: TeamMember[];
  codes: Invitation[];
  /** When the lists were read: codes expire with time, judged against this moment. */
  readAt: number;
}

/** The owner's team: who is in it (role, since when; remove a member), and the invitation codes. */
export default function TeamPage() {
  const { params } = useRouter<{ shop?: string }>();
  const shop = params.shop ?? '';
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();

  const fetchTeam = useCallback(async (): Promise<Team> => {
    await signedIn();
    const [members, codes] = await Promise.all([api.team(shop), api.invitations(shop)]);
    return { members, codes, readAt: Date.now() };
  }, [shop]);
  const { state: load, reload: retry, set } = useLoadable(fetchTeam);
  // After a change the list is read again in place (no loading screen); a failure is said above it.
  const reload = async () => {
    try {
      set(await fetchTeam());
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const act = async (what: string, run: () => Promise<unknown>) => {
    setBusy(what);
    setError(undefined);
    try {
      await run();
      await reload();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };
  const create = (role: 'director' | 'safety_officer') =>
    act(`invite-${role}`, async () => {
      const inv = await api.createInvitation(shop, { role, maxUses: 1, expiresInDays: 7 });
      void Taro.setClipboardData({ data: inv.code }).catch(() => undefined);
    });
  const revoke = (code: string) => act(`revoke-${code}`, () => api.revokeInvitation(shop, code));
  const remove = (m: TeamMember) =>
    act(`remove-${m.userId}`, async () => {
      const { confirm } = await Taro.showModal({
        title: '移出成员',
        content: `确定将该${m.roleLabel}移出本店？移出后其立即无法查看和填报本店记录；其已提交的记录保留。`,
      });
      if (!confirm) return;
      await api.removeMember(shop, m.userId);
      void Taro.showToast({ title: '已移出', icon: 'success' });
    });

  if (load.state === 'loading') return <PageState state="loading" />;
  if (load.state === 'failed') return <PageState state="failed" error={load.error} onRetry={retry} />;
  const { members, codes, readAt } = load.value;
  return (
    <View className="team">
      <Text className="team__title">本店成员</Text>
      <View id="member-list" className="team__list">
        {members.map((m) => (
          <View key={m.userId} className="team__row team__row--line" id={`member-${m.userId}`}>
            <View className="team__who">
              <Text className="team__name">
                {m.roleLabel}
                {m.isMe ? '（我）' : ''}
              </Text>
              <Text className="team__muted">{day(m.addedAt)} 加入</Text>
            </View>
            {m.role !== 'owner' && (
              <Button
                size="small"
                id={`remove-${m.userId}`}
                loading={busy === `remove-${m.userId}`}
                disabled={!!busy}
                onClick={() => void remove(m)}
              >
                移出
              </Button>
            )}
          </View>
        ))}
        {members.length === 1 && (
          <Text className="team__muted">目前只有您一人：日管控和周排查由您本人填报，邀请安全员后由安全员填报。</Text>
        )}
      </View>

      <Text className="team__title">邀请员工</Text>
      <Text className="team__hint">
        生成邀请码发给员工，员工在经营端首页输入即可加入本店。邀请码 7 天内有效，只能使用一次。
      </Text>
      <View className="team__actions">
        <Button
          id="invite-officer"
          type="primary"
          size="large"
          block
          loading={busy === 'invite-safety_officer'}
          disabled={!!busy}
          onClick={() => void create('safety_officer')}
        >
          邀请食品安全员
        </Button>
        <Button
          id="invite-director"
          size="large"
          block
          loading={busy === 'invite-director'}
          disabled={!!busy}
          onClick={() => void create('director')}
        >
          邀请食品安全总监
        </Button>
      </View>
      {error && (
        <Text className="team__error" id="team-error">
          {error}
        </Text>
      )}
      {codes.length === 0 && <Text className="team__muted">还没有发放邀请码</Text>}
      <View id="invitation-list" className="team__list">
        {codes.map((c) => {
          const [tone, text] = invitationStatus(c, readAt, when);
          // The code the owner joined with (the office's) is theirs to keep, not to revoke.
          const live = !c.usedByMe && !c.revoked && c.remaining > 0 && Date.parse(c.expiresAt) > readAt;
          return (
            <View key={c.code} className="team__row" id={`code-${c.code}`}>
              <Text className="team__code">{c.code}</Text>
              <View className="team__status">
                <Text className="team__muted">{c.roleLabel}</Text>
                <StatusTag tone={tone} text={text} />
              </View>
              {live && (
                <Button size="small" disabled={!!busy} onClick={() => void revoke(c.code)}>
                  撤销
                </Button>
              )}
            </View>
          );
        })}
      </View>
    </View>
  );
}
