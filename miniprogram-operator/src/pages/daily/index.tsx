import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { ApiError, escalationLabel, type ChecklistItem } from '@ygsa/shared';
import { api, drafts, newIdempotencyKey, signedIn } from '../../api/client';
import { PhotoPicker } from '../../components/Photos';
import './index.scss';
import { messageOf } from '../../api/errors';

type Result = 'pass' | 'fail' | 'na';
interface Answer {
  result?: Result;
  note: string;
  action: string;
  escalate: boolean;
  photos: string[];
}
interface Draft {
  idempotencyKey: string;
  answers: Record<string, Answer>;
}

const RESULT_LABELS: Record<Result, string> = { pass: '合格', fail: '不合格', na: '不适用' };
const empty = (): Answer => ({ note: '', action: '', escalate: false, photos: [] });

/** 日管控: each item of today's list checked, photos where required, a fail says what was done. */
export default function DailyPage() {
  const { params } = useRouter<{ shop?: string; period?: string }>();
  const shop = params.shop ?? '';
  const period = params.period ?? '';
  const draftKey = `daily.${shop}.${period}`;
  const [items, setItems] = useState<ChecklistItem[] | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [draft, setDraft] = useState<Draft>(
    () => drafts<Draft>(draftKey).load() ?? { idempotencyKey: newIdempotencyKey(), answers: {} },
  );
  const [busy, setBusy] = useState<'submit' | undefined>();
  const [escalateTo, setEscalateTo] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void signedIn()
      .then(() => Promise.all([api.checklist(shop), api.myShops()]))
      .then(
        ([list, shops]) => {
          if (!live) return;
          setItems(list);
          // What handing a fail up means depends on who files (the owner has nobody above).
          const role = shops.find((s) => s.id === shop)?.role;
          setEscalateTo(role ? escalationLabel(role) : null);
        },
        (e: unknown) => live && setError(messageOf(e)),
      );
    return () => {
      live = false;
    };
  }, [shop]);

  const update = (code: string, patch: Partial<Answer>) => {
    setDraft((d) => {
      const next = { ...d, answers: { ...d.answers, [code]: { ...(d.answers[code] ?? empty()), ...patch } } };
      drafts<Draft>(draftKey).save(next);
      return next;
    });
  };

  const submit = async (zeroRisk: boolean) => {
    if (!items) return;
    setError(undefined);
    if (!zeroRisk) {
      const missing = items.filter((i) => !draft.answers[i.code]?.result);
      if (missing.length) return setError(`还有 ${missing.length} 项未检查`);
      const noPhoto = items.filter(
        (i) => i.photoRequired && draft.answers[i.code]?.result !== 'na' && !draft.answers[i.code]?.photos.length,
      );
      if (noPhoto.length) return setError(`「${noPhoto[0]!.text.split('：')[0]}」须拍照留证`);
      const noAction = items.filter(
        (i) => draft.answers[i.code]?.result === 'fail' && (draft.answers[i.code]?.action.trim().length ?? 0) < 2,
      );
      if (noAction.length) return setError(`「${noAction[0]!.text.split('：')[0]}」不合格，请填写处理措施`);
    }
    setBusy('submit');
    try {
      await api.submitDaily(shop, {
        idempotencyKey: draft.idempotencyKey,
        date: period,
        zeroRisk,
        // 零风险 marks the unanswered items as passed; what was answered (and photographed) goes with it.
        items: (zeroRisk
          ? items.filter((i) => draft.answers[i.code]?.result || draft.answers[i.code]?.photos.length)
          : items
        ).map((i) => {
          const a = draft.answers[i.code] ?? empty();
          return {
            code: i.code,
            result: a.result ?? (zeroRisk ? 'pass' : 'na'),
            note: a.note,
            photos: a.photos,
            action: a.action,
            escalate: a.escalate,
          };
        }),
      });
      drafts(draftKey).clear();
      void Taro.showToast({ title: '已提交', icon: 'success' });
      setTimeout(() => void Taro.navigateBack(), 600);
    } catch (e) {
      // The draft and its key are kept: resubmitting cannot make a second record.
      setError(e instanceof ApiError && e.code === 'NETWORK_ERROR' ? '网络异常，草稿已保存，请稍后重试' : messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };

  if (error && !items) return <Text className="daily__error daily__pad">{error}</Text>;
  if (!items) return <Text className="daily__muted daily__pad">正在加载检查清单…</Text>;

  return (
    <View className="daily">
      <View className="daily__head">
        <Text className="daily__title">{period} 日管控</Text>
        <Text className="daily__muted">逐项检查；全部合格可一键报告“零风险”。</Text>
        <Button
          id="zero-risk"
          type="success"
          size="large"
          block
          loading={busy === 'submit'}
          onClick={() => void submit(true)}
        >
          全部合格，一键零风险
        </Button>
      </View>

      {items.map((item) => {
        const a = draft.answers[item.code] ?? empty();
        return (
          <View key={item.code} className="daily__item" id={`item-${item.code}`}>
            <Text className="daily__item-text">
              {item.code} {item.text}
              {item.source === 'regulator' ? '（监管要求）' : ''}
            </Text>
            <Text className="daily__muted">
              方法：{item.method}
              {item.photoRequired ? ' · 须拍照' : ''}
            </Text>
            <View className="daily__choices">
              {(['pass', 'fail', 'na'] as const).map((r) => (
                <Text
                  key={r}
                  id={`item-${item.code}-${r}`}
                  className={`daily__choice ${a.result === r ? `daily__choice--${r}` : ''}`}
                  onClick={() => update(item.code, { result: r })}
                >
                  {RESULT_LABELS[r]}
                </Text>
              ))}
            </View>
            {item.photoRequired && (
              <View className="daily__photo-row" id={`photos-${item.code}`}>
                <PhotoPicker
                  id={`photo-${item.code}`}
                  ids={a.photos}
                  max={3}
                  addText="+ 拍照留证"
                  onChange={(photos) => update(item.code, { photos })}
                />
              </View>
            )}
            {a.result === 'fail' && (
              <View className="daily__fail">
                <Input
                  className="daily__input"
                  placeholder="问题说明"
                  value={a.note}
                  onInput={(e) => update(item.code, { note: e.detail.value })}
                />
                <Input
                  id={`action-${item.code}`}
                  className="daily__input"
                  placeholder="已采取的处理措施（必填）"
                  value={a.action}
                  onInput={(e) => update(item.code, { action: e.detail.value })}
                />
                {escalateTo && (
                  <Text
                    id={`escalate-${item.code}`}
                    className={`daily__choice ${a.escalate ? 'daily__choice--fail' : ''}`}
                    onClick={() => update(item.code, { escalate: !a.escalate })}
                  >
                    {a.escalate ? `已${escalateTo}` : escalateTo}
                  </Text>
                )}
              </View>
            )}
          </View>
        );
      })}

      {error && (
        <Text className="daily__error" id="submit-error">
          {error}
        </Text>
      )}
      <View className="daily__foot">
        <Button
          id="submit-daily"
          type="primary"
          size="large"
          block
          loading={busy === 'submit'}
          onClick={() => void submit(false)}
        >
          提交日管控记录
        </Button>
      </View>
    </View>
  );
}
