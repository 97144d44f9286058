import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Committee, Invitation } from '@ygsa/shared';
import { StatusTag } from '@ygsa/kit';
import { api, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import '../team/index.scss';

const day = (iso: string) => new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });

/**
 * 家委会: the school invites parents (a code with an expiry and a number of uses), sees who joined
 * with their class, names the 召集人 and removes members (they lose the stream on their next request).
 */
export default function CommitteePage() {
  const { params } = useRouter<{ shop?: string }>();
  const shop = params.shop ?? '';
  const [committee, setCommittee] = useState<Committee | null>(null);
  const [invitation, setInvitation] = useState<Invitation>();
  const [error, setError] = useState<string>();

  const fetchCommittee = useCallback(async () => {
    await signedIn();
    return api.committee(shop);
  }, [shop]);
  useEffect(() => {
    let live = true;
    fetchCommittee().then(
      (c) => live && setCommittee(c),
      (e: unknown) => live && setError(messageOf(e, '加载失败')),
    );
    return () => {
      live = false;
    };
  }, [fetchCommittee]);

  const run = async (step: () => Promise<void>) => {
    setError(undefined);
    try {
      await step();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const invite = () =>
    run(async () => {
      const inv = await api.inviteParents(shop, { maxUses: 20, expiresInDays: 7 });
      setInvitation(inv);
      void Taro.setClipboardData({ data: inv.code }).catch(() => undefined);
    });
  const convener = (userId: string) => run(async () => setCommittee(await api.setConvener(shop, userId)));
  const remove = (userId: string, name: string) =>
    run(async () => {
      const { confirm } = await Taro.showModal({
        title: '移出家委会',
        content: `确定移出 ${name || '该成员'}？移出后其无法再观看后厨直播。`,
      });
      if (!confirm) return;
      await api.removeParent(shop, userId);
      setCommittee(await fetchCommittee());
    });

  const s = committee?.summary;
  return (
    <View className="team">
      <Text className="team__hint">
        家委会成员可观看本校食堂后厨直播。按规定家委会不少于 7 人，每个年级至少 1 人，并设召集人。
      </Text>
      {s && (
        <View className="team__status">
          <StatusTag tone={s.formed ? 'done' : 'waiting'} text={s.formed ? '家委会已组建' : '家委会未组建'} />
        </View>
      )}
      {s && (
        <Text className="team__muted" id="committee-summary">
          现有成员 {s.active} 人{s.grades.length ? `（${s.grades.join('、')}）` : ''}；
          {s.hasConvener ? '已设召集人' : '未设召集人'}
          {s.formed
            ? '。'
            : `；${s.active < 7 ? `还需 ${7 - s.active} 人` : ''}${s.hasConvener ? '' : '，请指定召集人'}。`}
        </Text>
      )}
      <Button id="invite-parents" type="primary" size="large" block onClick={() => void invite()}>
        生成家长邀请码
      </Button>
      {invitation && (
        <View className="team__row" id="parent-code">
          <Text className="team__code">{invitation.code}</Text>
          <Text className="team__muted">
            已复制。7 天内有效，可供 {invitation.maxUses} 位家长使用；家长在公众端「加入家委会」输入。
          </Text>
        </View>
      )}
      {error && <Text className="team__error">{error}</Text>}
      {committee === null && !error && <Text className="team__muted">正在加载…</Text>}
      <View className="team__list" id="committee-list">
        {committee?.members.length === 0 && <Text className="team__muted">还没有家长加入</Text>}
        {committee?.members.map((m) => (
          <View key={m.userId} className="team__row">
            <Text>
              {m.name || '（未留姓名）'} · {m.grade || '年级未填'}
              {m.convener ? ' · 召集人' : ''}
              {m.revoked ? ' · 已移出' : ''}
            </Text>
            <Text className="team__muted">{day(m.joinedAt)} 加入</Text>
            {!m.revoked && (
              <View className="team__actions">
                {!m.convener && (
                  <Button size="small" onClick={() => void convener(m.userId)}>
                    设为召集人
                  </Button>
                )}
                <Button size="small" onClick={() => void remove(m.userId, m.name)}>
                  移出
                </Button>
              </View>
            )}
          </View>
        ))}
      </View>
    </View>
  );
}
