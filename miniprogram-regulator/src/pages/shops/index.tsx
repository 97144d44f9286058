import { useCallback, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { RegulatorShop } from '@ygsa/shared';
import { PageState, StatusTag, useLoadable } from '@ygsa/kit';
import { api, signedIn } from '../../api/client';
import { openPage } from '../../nav';
import './index.scss';

const PAGE_SIZE = 20;

/** The shops of the regulator's jurisdiction (every state), searched by name, address or licence. */
export default function ShopsPage() {
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState({ q: '', page: 1 });
  const load = useCallback(async () => {
    await signedIn();
    return api.shops({ q: query.q || undefined, page: query.page, pageSize: PAGE_SIZE });
  }, [query]);
  const { state, reload } = useLoadable(load);

  const search = () => setQuery({ q: typed.trim(), page: 1 });
  const pages = state.state === 'ready' ? Math.max(1, Math.ceil(state.value.total / PAGE_SIZE)) : 1;

  return (
    <View className="shops">
      <View className="shops__search">
        <Input
          id="shop-search"
          className="shops__input"
          value={typed}
          placeholder="名称、地址或许可证编号"
          confirmType="search"
          onInput={(e) => setTyped(e.detail.value)}
          onConfirm={search}
        />
        <Button id="shop-search-button" type="primary" onClick={search}>
          搜索
        </Button>
      </View>
      {state.state === 'loading' && <PageState state="loading" />}
      {state.state === 'failed' && <PageState state="failed" error={state.error} onRetry={reload} />}
      {state.state === 'ready' && !state.value.items.length && (
        <PageState state="empty" text={query.q ? '没有找到符合条件的门店' : '辖区内还没有门店'} />
      )}
      {state.state === 'ready' && state.value.items.length > 0 && (
        <View className="shops__list" id="shop-list">
          <Text className="shops__total">共 {state.value.total} 家</Text>
          {state.value.items.map((s: RegulatorShop) => (
            <View key={s.id} className="shops__item" onClick={() => void openPage('shop', { id: s.id })}>
              <View className="shops__line">
                <Text className="shops__name">{s.name}</Text>
                <StatusTag
                  tone={s.status === 'open' ? 'done' : s.status === 'suspended' ? 'overdue' : 'refused'}
                  text={s.statusLabel}
                />
              </View>
              <Text className="shops__muted">
                {s.district} · {s.address}
              </Text>
              <Text className="shops__muted">
                {s.licence.number} · {s.grade.grade ? `信用等级 ${s.grade.grade}` : s.grade.label}
              </Text>
            </View>
          ))}
          {pages > 1 && (
            <View className="shops__pager">
              <Button disabled={query.page <= 1} onClick={() => setQuery({ ...query, page: query.page - 1 })}>
                上一页
              </Button>
              <Text>
                {query.page} / {pages}
              </Text>
              <Button disabled={query.page >= pages} onClick={() => setQuery({ ...query, page: query.page + 1 })}>
                下一页
              </Button>
            </View>
          )}
        </View>
      )}
    </View>
  );
}
