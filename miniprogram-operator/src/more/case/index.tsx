import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { CaseView, ConsentView } from '@ygsa/shared';
import { StatusTag, SignaturePad, type SignaturePadHandle } from '@ygsa/kit';
import { caseStatus } from '../../components/statuses';
import { api, signedIn, uploadPhoto } from '../../api/client';
import { messageOf } from '../../api/errors';
import { PhotoGrid, PhotoPicker, StoredPhoto } from '../../components/Photos';
import '../notices/index.scss';

const CANVAS_ID = 'case-signature';
const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/**
 * A non-contact enforcement case for the party: consent to e-delivery (once), the notice and its
 * evidence (opening it is the delivery), confirm or object, then sign the exact text on the phone.
 */
export default function CasePage() {
  const { params } = useRouter<{ shop?: string; id?: string }>();
  const shop = params.shop ?? '';
  const id = params.id ?? '';
  const [kase, setKase] = useState<CaseView | null>(null);
  const [consent, setConsent] = useState<ConsentView | null>(null);
  const [name, setName] = useState('');
  const [agree, setAgree] = useState(false);
  const [objecting, setObjecting] = useState(false);
  const [statement, setStatement] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const pad = useRef<SignaturePadHandle>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const fetchCase = useCallback(async () => {
    await signedIn();
    const c = await api.enforcementCase(shop, id);
    return { c, consent: c.consented ? null : await api.deliveryConsent(shop) };
  }, [shop, id]);
  const load = async () => {
    const r = await fetchCase();
    setKase(r.c);
    setConsent(r.consent);
  };
  useEffect(() => {
    let live = true;
    fetchCase().then(
      (r) => {
        if (!live) return;
        setKase(r.c);
        setConsent(r.consent);
      },
      (e: unknown) => live && setError(messageOf(e, '加载失败')),
    );
    return () => {
      live = false;
    };
  }, [fetchCase]);

  const act = async (step: () => Promise<CaseView | void>, done?: string) => {
    setError(undefined);
    setBusy(true);
    try {
      const next = await step();
      if (next) setKase(next);
      if (done) void Taro.showToast({ title: done, icon: 'success' });
    } catch (e) {
      setError(messageOf(e, '提交失败'));
    } finally {
      setBusy(false);
    }
  };

  if (!kase)
    return <Text className={error ? 'enf__error enf__pad' : 'enf__muted enf__pad'}>{error ?? '正在加载…'}</Text>;

  const header = (
    <View className="enf__card" id="case-head">
      <View className="enf__row">
        <Text className="enf__head">{kase.categoryLabel}</Text>
        <StatusTag tone={caseStatus(kase)[0]} text={kase.statusLabel} id="case-status" />
      </View>
      <Text className="enf__muted">
        {kase.number}
        {kase.deliveredAt ? ` · ${when(kase.deliveredAt)} 送达` : ''}
      </Text>
    </View>
  );

  // 1. 送达地址确认书, once, before anything is delivered electronically.
  if (!kase.consented && !kase.deliveredAt) {
    return (
      <View className="enf">
        {header}
        <View className="enf__section" id="consent">
          <Text className="enf__title">送达地址确认书</Text>
          <Text className="enf__muted">监管部门向您发出了执法文书。签署确认书、同意电子送达后即可查看。</Text>
          <Text className="enf__doc">{consent?.text.replace('＿＿＿＿', name || '＿＿＿＿') ?? '正在加载…'}</Text>
          <Text className="enf__text">签收人姓名（与身份证一致）</Text>
          <Input
            id="consent-name"
            className="enf__input"
            value={name}
            maxlength={20}
            onInput={(e) => setName(e.detail.value)}
          />
          <Text className="enf__text" id="consent-agree" onClick={() => setAgree((v) => !v)}>
            {agree ? '☑' : '☐'} 我已阅读并同意以电子方式送达
          </Text>
          {error && <Text className="enf__error">{error}</Text>}
          <Button
            id="consent-submit"
            type="primary"
            size="large"
            block
            loading={busy}
            onClick={() =>
              void act(async () => {
                if (name.trim().length < 2) throw new Error('请填写签收人姓名');
                if (!agree) throw new Error('请勾选同意以电子方式送达');
                await api.giveDeliveryConsent(shop, name.trim());
                await load();
              }, '已签署')
            }
          >
            签署并查看文书
          </Button>
        </View>
      </View>
    );
  }

  const ev = kase.evidence;
  return (
    <View className="enf">
      {header}
      {kase.document && (
        <View className="enf__section" id="document">
          <Text className="enf__title">{kase.document.title}</Text>
          <Text className="enf__doc">{kase.document.text}</Text>
        </View>
      )}
      {ev && (
        <View className="enf__section" id="case-evidence">
          <Text className="enf__title">证据（{ev.captures.length + ev.photos.length} 项）</Text>
          <View className="photos__grid">
            {ev.captures.map((c) => (
              <StoredPhoto key={c.id} id={c.snapshot} caption={`${c.zoneLabel} ${when(c.capturedAt)}`} />
            ))}
          </View>
          <PhotoGrid ids={ev.photos} />
          {ev.captures.map((c) => (
            <Text key={c.id} className="enf__muted">
              {when(c.capturedAt)} {c.cameraName}：{c.categoryLabel}（置信度 {Math.round(c.confidence * 100)}%）
            </Text>
          ))}
        </View>
      )}

      {kase.status === 'confirmed' && (
        <View className="enf__section" id="respond">
          <Text className="enf__title">您的意见</Text>
          {!objecting ? (
            <>
              <Button
                id="confirm-facts"
                type="primary"
                size="large"
                block
                loading={busy}
                onClick={() => void act(() => api.respondToCase(shop, id, { decision: 'confirm' }))}
              >
                确认违法事实及证据无异议
              </Button>
              <Button id="object" size="large" block onClick={() => setObjecting(true)}>
                提出异议（陈述、申辩）
              </Button>
            </>
          ) : (
            <>
              <Textarea
                id="statement"
                className="enf__area"
                placeholder="写明异议的事实与理由"
                value={statement}
                maxlength={2000}
                onInput={(e) => setStatement(e.detail.value)}
              />
              <PhotoPicker id="objection-photo" ids={photos} onChange={setPhotos} />
              <Button
                id="submit-objection"
                type="primary"
                size="large"
                block
                loading={busy}
                onClick={() => void act(() => api.respondToCase(shop, id, { decision: 'object', statement, photos }))}
              >
                提交异议
              </Button>
              <Button size="small" onClick={() => setObjecting(false)}>
                返回
              </Button>
            </>
          )}
        </View>
      )}

      {kase.status === 'responded' && kase.toSign && (
        <View className="enf__section" id="sign">
          <Text className="enf__title">签名确认</Text>
          <Text className="enf__doc" id="to-sign">
            {kase.toSign.text}
          </Text>
          <Text className="enf__muted">文书摘要（SHA-256）：{kase.toSign.sha256}</Text>
          <SignaturePad ref={pad} canvasId={CANVAS_ID} />
          <Button
            id="submit-signature"
            type="primary"
            size="large"
            block
            loading={busy}
            onClick={() => {
              // Too little ink is not sent: the pad says why, under the strokes, and the owner signs again.
              const verdict = pad.current?.validate();
              if (verdict?.problem && verdict.problem !== 'empty') return setError(undefined);
              void act(async () => {
                if (!pad.current || !verdict?.ok) throw new Error('请在上方手写签名');
                const signature = await uploadPhoto(await pad.current.toImage());
                return api.signCase(shop, id, { documentSha256: kase.toSign?.sha256 ?? '', signature });
              }, '已签名');
            }}
          >
            签名并提交
          </Button>
        </View>
      )}

      {kase.response && kase.status !== 'responded' && (
        <View className="enf__card" id="response">
          <Text className="enf__text">
            您的意见：{kase.response.decision === 'confirm' ? '确认无异议' : `异议：${kase.response.statement}`}
          </Text>
          <PhotoGrid ids={kase.response.photos} />
        </View>
      )}
      {kase.signature && (
        <View className="enf__card" id="signed">
          <Text className="enf__text">已于 {when(kase.signature.at)} 签名</Text>
          <StoredPhoto id={kase.signature.image} />
          <Text className="enf__muted">文书摘要（SHA-256）：{kase.signature.documentSha256}</Text>
        </View>
      )}
      {kase.decision && (
        <View className="enf__card" id="decision">
          <Text className="enf__head">处理决定：{kase.decision.outcomeLabel}</Text>
          <Text className="enf__text">{kase.decision.reason}</Text>
        </View>
      )}
      {error && <Text className="enf__error">{error}</Text>}
    </View>
  );
}
