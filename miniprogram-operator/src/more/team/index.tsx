import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { type Invitation } from '@ygsa/shared';
import { api, signedIn } from '../../api/client';
import './index.scss';
import { messageOf } from '../../api/errors';

const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** The owner issues invitation codes for staff (总监, 安全员), sees them, and revokes them. */
export default function TeamPage() {
  const { params } = useRouter<{ shop?: string }>();
  const shop = params.shop ?? '';
  const [codes, setCodes] = useState<Invitation[] | null>(null);
  const [error, setError] = useState<string>();
  // When the list was read: codes expire with time, judged against this moment.
  const [readAt, setReadAt] = useState(0);

  const fetchCodes = useCallback(async (): Promise<{ codes?: Invitation[]; error?: string }> => {
    try {
      await signedIn();
      return { codes: await api.invitations(shop) };
    } catch (e) {
      return { error: messageOf(e) };
    }
  }, [shop]);
  const show = (r: { codes?: Invitation[]; error?: string }) => {
    setReadAt(Date.now());
    setCodes(r.codes ?? []);
    setError(r.error);
  };

  useEffect(() => {
    let live = true;
    void fetchCodes().then((r) => live && show(r));
    return () => {
      live = false;
    };
  }, [fetchCodes]);

  const create = async (role: 'director' | 'safety_officer') => {
    try {
      const inv = await api.createInvitation(shop, { role, maxUses: 1, expiresInDays: 7 });
      void Taro.setClipboardData({ data: inv.code }).catch(() => undefined);
      show(await fetchCodes());
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const revoke = async (code: string) => {
    try {
      await api.revokeInvitation(shop, code);
      show(await fetchCodes());
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <View className="team">
      <Text className="team__hint">
        生成邀请码发给员工，员工在经营端首页输入即可加入本店。邀请码 7 天内有效，只能使用一次。
      </Text>
      <View className="team__actions">
        <Button id="invite-officer" type="primary" size="large" block onClick={() => void create('safety_officer')}>
          邀请食品安全员
        </Button>
        <Button id="invite-director" size="large" block onClick={() => void create('director')}>
          邀请食品安全总监
        </Button>
      </View>
      {error && <Text className="team__error">{error}</Text>}
      {codes === null && <Text className="team__muted">正在加载…</Text>}
      {codes?.length === 0 && <Text className="team__muted">还没有发放邀请码</Text>}
      <View id="invitation-list" className="team__list">
        {codes?.map((c) => {
          const live = !c.revoked && c.remaining > 0 && Date.parse(c.expiresAt) > readAt;
          return (
            <View key={c.code} className="team__row">
              <Text className="team__code">{c.code}</Text>
              <Text className="team__muted">
                {c.roleLabel} ·{' '}
                {c.revoked ? '已撤销' : c.remaining === 0 ? '已使用' : live ? `有效至 ${when(c.expiresAt)}` : '已过期'}
              </Text>
              {live && (
                <Button size="small" onClick={() => void revoke(c.code)}>
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
