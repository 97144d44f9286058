import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import { openPage } from '../../nav';
import './index.scss';

interface Canteen {
  id: string;
  name: string;
  address: string;
}

/** 加入家委会: bind with the school's code; then "my canteens" lead to their kitchen streams. */
export default function CommitteePage() {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [grade, setGrade] = useState('');
  const [canteens, setCanteens] = useState<Canteen[] | null>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    void signedIn()
      .then(() => api.myCanteens())
      .then(
        (r) => live && setCanteens(r),
        (e: unknown) => live && setError(messageOf(e, '加载失败')),
      );
    return () => {
      live = false;
    };
  }, []);

  const join = async () => {
    setError(undefined);
    try {
      await signedIn();
      const r = await api.joinCommittee({ code: code.trim().toUpperCase(), name: name.trim(), grade: grade.trim() });
      void Taro.showToast({ title: `已加入${r.name}家委会`, icon: 'none' });
      setCode('');
      setCanteens(await api.myCanteens());
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <View className="committee">
      <View className="committee__card">
        <Text className="committee__title">输入学校发放的家委会邀请码</Text>
        <Input
          id="committee-code"
          className="committee__input"
          maxlength={8}
          value={code}
          placeholder="8 位邀请码"
          onInput={(e) => setCode(e.detail.value)}
        />
        <Text className="committee__muted">学校据此核对家委会成员，不会公开</Text>
        <Input
          id="committee-name"
          className="committee__input"
          maxlength={20}
          value={name}
          placeholder="家长姓名"
          onInput={(e) => setName(e.detail.value)}
        />
        <Input
          id="committee-grade"
          className="committee__input"
          maxlength={20}
          value={grade}
          placeholder="孩子所在年级班级，如 三年级二班"
          onInput={(e) => setGrade(e.detail.value)}
        />
        {error && <Text className="committee__error">{error}</Text>}
        <Button
          id="committee-join"
          type="primary"
          size="large"
          block
          disabled={code.trim().length !== 8 || name.trim().length < 2 || grade.trim().length < 2}
          onClick={() => void join()}
        >
          加入家委会
        </Button>
      </View>
      <Text className="committee__title">我的食堂</Text>
      <View id="my-canteens" className="committee__list">
        {canteens?.length === 0 && <Text className="committee__muted">还没有加入任何学校的家委会</Text>}
        {canteens?.map((c) => (
          <View
            key={c.id}
            className="committee__card"
            onClick={() => void openPage('live', { shop: c.id, name: c.name })}
          >
            <Text className="committee__name">{c.name}</Text>
            <Text className="committee__muted">{c.address} · 点击看后厨</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
