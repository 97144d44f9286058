import { useCallback, useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { type ChecklistItem } from '@ygsa/shared';
import { api, signedIn } from '../../api/client';
import './index.scss';
import { messageOf } from '../../api/errors';

const SOURCE_LABELS: Record<ChecklistItem['source'], string> = { default: '通用', shop: '本店', regulator: '监管要求' };

/** The shop's 风险管控清单: the default list, the shop's own items (editable by owner and 总监), and regulators' items. */
export default function ChecklistPage() {
  const { params } = useRouter<{ shop?: string }>();
  const shop = params.shop ?? '';
  const [items, setItems] = useState<ChecklistItem[] | null>(null);
  const [form, setForm] = useState({ text: '', method: '', photoRequired: false });
  const [error, setError] = useState<string>();

  const fetchItems = useCallback(async () => {
    await signedIn();
    return api.checklist(shop);
  }, [shop]);

  useEffect(() => {
    let live = true;
    void fetchItems().then(
      (r) => live && setItems(r),
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [fetchItems]);

  const add = async () => {
    setError(undefined);
    try {
      await api.addChecklistItem(shop, { ...form, basis: '' });
      setForm({ text: '', method: '', photoRequired: false });
      setItems(await fetchItems());
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const retire = async (code: string) => {
    try {
      await api.retireChecklistItem(shop, code);
      setItems(await fetchItems());
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <View className="checklist">
      <View className="checklist__form">
        <Text className="checklist__title">添加本店检查项</Text>
        <Input
          id="item-text"
          className="checklist__input"
          placeholder="检查内容，如：凉菜间紫外线灯开启 30 分钟"
          value={form.text}
          onInput={(e) => setForm({ ...form, text: e.detail.value })}
        />
        <Input
          id="item-method"
          className="checklist__input"
          placeholder="检查方法，如：查看记录"
          value={form.method}
          onInput={(e) => setForm({ ...form, method: e.detail.value })}
        />
        <Text
          className={`checklist__toggle ${form.photoRequired ? 'checklist__toggle--on' : ''}`}
          onClick={() => setForm({ ...form, photoRequired: !form.photoRequired })}
        >
          {form.photoRequired ? '须拍照 ✓' : '须拍照'}
        </Text>
        <Button id="add-item" type="primary" block onClick={() => void add()}>
          添加
        </Button>
        {error && <Text className="checklist__error">{error}</Text>}
      </View>
      {items === null && <Text className="checklist__muted">正在加载…</Text>}
      <View id="checklist-items" className="checklist__list">
        {items?.map((i) => (
          <View key={i.code} className="checklist__row">
            <Text className="checklist__text">
              {i.code} {i.text}
            </Text>
            <Text className="checklist__muted">
              {SOURCE_LABELS[i.source]} · {i.method}
              {i.photoRequired ? ' · 须拍照' : ''}
            </Text>
            {i.source === 'shop' && (
              <Button size="small" onClick={() => void retire(i.code)}>
                停用
              </Button>
            )}
          </View>
        ))}
      </View>
    </View>
  );
}
