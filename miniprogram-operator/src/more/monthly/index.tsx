import { useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api, drafts, newIdempotencyKey, uploadPhoto } from '../../api/client';
import { SignaturePad, type SignaturePadHandle } from '@ygsa/kit';
import './index.scss';
import { messageOf } from '../../api/errors';

interface Draft {
  idempotencyKey: string;
  review: string;
  openIssues: string;
  plan: string;
  attendees: string;
}

const CANVAS_ID = 'signature';

/** 月调度 minutes, signed by the owner with a finger on the phone (the drawing is stored as an image). */
export default function MonthlyPage() {
  const { params } = useRouter<{ shop?: string; period?: string }>();
  const shop = params.shop ?? '';
  const month = params.period ?? '';
  const key = `monthly.${shop}.${month}`;
  const [draft, setDraft] = useState<Draft>(
    () =>
      drafts<Draft>(key).load() ?? {
        idempotencyKey: newIdempotencyKey(),
        review: '',
        openIssues: '',
        plan: '',
        attendees: '',
      },
  );
  const pad = useRef<SignaturePadHandle>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const change = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    drafts<Draft>(key).save(next);
  };
  const submit = async () => {
    setError(undefined);
    const signature = pad.current?.validate();
    if (!pad.current || !signature || signature.problem === 'empty') return setError('请主要负责人在下方签名');
    // Too little ink is not sent: the pad says why, under the strokes, and the owner signs again.
    if (!signature.ok) return;
    setBusy(true);
    try {
      const signaturePhoto = await uploadPhoto(await pad.current.toImage());
      await api.submitMonthly(shop, {
        idempotencyKey: draft.idempotencyKey,
        month,
        review: draft.review,
        openIssues: draft.openIssues,
        plan: draft.plan,
        attendees: draft.attendees.split(/[,，、\s]+/).filter(Boolean),
        signaturePhoto,
      });
      drafts(key).clear();
      void Taro.showToast({ title: '已提交', icon: 'success' });
      setTimeout(() => void Taro.navigateBack(), 600);
    } catch (e) {
      setError(messageOf(e, '提交失败'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="form">
      <Text className="form__title">{month} 月调度会议纪要</Text>
      <Text className="form__label">本月工作回顾</Text>
      <Textarea
        id="review"
        className="form__area"
        value={draft.review}
        onInput={(e) => change({ review: e.detail.value })}
      />
      <Text className="form__label">存在的问题</Text>
      <Textarea
        className="form__area"
        value={draft.openIssues}
        onInput={(e) => change({ openIssues: e.detail.value })}
      />
      <Text className="form__label">下月工作计划</Text>
      <Textarea id="plan" className="form__area" value={draft.plan} onInput={(e) => change({ plan: e.detail.value })} />
      <Text className="form__label">参会人员（用逗号分隔）</Text>
      <Input
        id="attendees"
        className="form__input"
        value={draft.attendees}
        onInput={(e) => change({ attendees: e.detail.value })}
      />
      <Text className="form__label">主要负责人签名</Text>
      <SignaturePad ref={pad} canvasId={CANVAS_ID} />
      {error && <Text className="form__error">{error}</Text>}
      <Button id="submit-monthly" type="primary" size="large" block loading={busy} onClick={() => void submit()}>
        签名并提交
      </Button>
    </View>
  );
}
