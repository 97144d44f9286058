import { useCallback, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import {
  ITEM_RESULTS,
  ITEM_RESULT_LABELS,
  pageUrl,
  type ChecklistAnswer,
  type ItemResult,
  type OnsiteInspection,
} from '@ygsa/shared';
import {
  PageState,
  SignaturePad,
  StatusTag,
  SubmitButton,
  pickAndUploadPhotos,
  useLoadable,
  type SignaturePadHandle,
} from '@ygsa/kit';
import { api, newIdempotencyKey, signedIn, uploadPhoto } from '../../api/client';
import { messageOf } from '../../api/errors';
import './index.scss';

type Item = OnsiteInspection['items'][number];

/** The second inspector is chosen before the first answer (执法人员不少于两人). */
function StartInspection({ shopId }: { shopId: string }) {
  const { state, reload } = useLoadable(
    useCallback(async () => {
      await signedIn();
      const [shop, colleagues] = await Promise.all([api.shop(shopId), api.colleagues()]);
      return { shop, colleagues: colleagues.filter((c) => c.city || c.districts.includes(shop.district)) };
    }, [shopId]),
  );
  const [key] = useState(newIdempotencyKey);
  const [co, setCo] = useState<string | null>(null);
  const [start, setStart] = useState<{ busy: boolean; error?: string }>({ busy: false });
  if (state.state === 'loading') return <PageState state="loading" />;
  if (state.state === 'failed') return <PageState state="failed" error={state.error} onRetry={reload} />;
  const { shop, colleagues } = state.value;
  const begin = async () => {
    setStart({ busy: true });
    try {
      const made = await api.startOnsite(shopId, { idempotencyKey: key, coInspectorId: co as string });
      await Taro.redirectTo({ url: pageUrl('regulator', 'inspect', { id: made.id }) });
    } catch (e) {
      setStart({ busy: false, error: messageOf(e) });
    }
  };
  return (
    <View className="inspect">
      <View className="inspect__card" id="inspect-start">
        <Text className="inspect__title">{shop.name}</Text>
        <Text className="inspect__muted">
          {shop.district} · {shop.address} · {shop.businessTypeLabel}
        </Text>
        <Text className="inspect__label">同行执法人员</Text>
        {!colleagues.length && <Text className="inspect__error">本辖区没有其他持执法证的检查人员，请联系管理员</Text>}
        <View className="inspect__choices">
          {colleagues.map((c) => (
            <Button
              key={c.userId}
              className="inspect-colleague"
              type={co === c.userId ? 'primary' : 'default'}
              onClick={() => setCo(c.userId)}
            >
              {c.name}（{c.certificateNo}）
            </Button>
          ))}
        </View>
        <SubmitButton
          id="inspect-begin"
          errorId="inspect-begin-error"
          loading={start.busy}
          disabled={!co}
          error={start.error}
          onClick={() => void begin()}
        >
          开始检查
        </SubmitButton>
      </View>
    </View>
  );
}

/** One item of the 检查要点表: its result, and for 基本符合 / 不符合 a note and photos. */
function ItemRow(props: {
  item: Item;
  index: number;
  editable: boolean;
  onSave: (answer: ChecklistAnswer) => Promise<void>;
}) {
  const { item, index, editable } = props;
  const a = item.answer;
  const [note, setNote] = useState(a?.note ?? '');
  // 基本符合 and 不符合 need the problem written down: chosen here first, saved with the note.
  const [chosen, setChosen] = useState<ItemResult | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (answer: ChecklistAnswer) => {
    setBusy(true);
    try {
      await props.onSave(answer);
    } finally {
      setBusy(false);
    }
  };
  const result = chosen ?? a?.result;
  const needsNote = result === 'basically' || result === 'nonconform';
  const choose = (r: ItemResult) => {
    if ((r === 'basically' || r === 'nonconform') && !note.trim()) return setChosen(r);
    setChosen(null);
    void save({
      result: r,
      ...(r === 'basically' || r === 'nonconform' ? { note: note.trim(), photos: a?.photos } : {}),
    });
  };
  const saveNote = () => {
    if (!result || !note.trim() || (note.trim() === a?.note && result === a?.result)) return;
    setChosen(null);
    void save({ result, note: note.trim(), photos: a?.photos });
  };
  return (
    <View className={`inspect__item ${a ? '' : 'inspect__item--open'}`} id={`item-${index}`}>
      <Text className="inspect__text">
        {item.key ? '★ ' : ''}
        {item.text}（{item.points} 分）
      </Text>
      {editable ? (
        <View className="inspect__choices">
          {ITEM_RESULTS.map((r: ItemResult) => (
            <Button
              key={r}
              size="small"
              className={`item-${index}-${r}`}
              disabled={busy}
              type={result === r ? 'primary' : 'default'}
              onClick={() => choose(r)}
            >
              {ITEM_RESULT_LABELS[r]}
            </Button>
          ))}
        </View>
      ) : (
        <Text className="inspect__muted">{a ? a.resultLabel : '未检查'}</Text>
      )}
      {needsNote && editable && (
        <View className="inspect__note">
          <Input
            className={`inspect__input item-${index}-note`}
            value={note}
            placeholder="写明存在的问题（必填）"
            onInput={(e) => setNote(e.detail.value)}
            onBlur={saveNote}
            onConfirm={saveNote}
          />
          {chosen && <Text className="inspect__error">请写明存在的问题，保存后才计入</Text>}
          <Button
            size="small"
            className={`item-${index}-photo`}
            disabled={!a || a.result !== result}
            onClick={() =>
              void pickAndUploadPhotos({ count: 9 - (a?.photos.length ?? 0), upload: uploadPhoto }).then((r) => {
                if (r && a)
                  return save({ result: a.result, note: a.note ?? undefined, photos: [...a.photos, ...r.ids] });
              })
            }
          >
            拍照取证（{a?.photos.length ?? 0}）
          </Button>
        </View>
      )}
      {!editable && a?.note && <Text className="inspect__muted">{a.note}</Text>}
    </View>
  );
}

/**
 * 现场监督检查: the items of the shop's 检查要点表, saved one by one into the server's draft; the
 * score and result as they stand; then the 监督检查结果记录表 to sign — each inspector on their own
 * phone, the shop's representative on this one.
 */
function Inspection({ id }: { id: string }) {
  const { state, reload, set } = useLoadable(
    useCallback(async () => {
      await signedIn();
      const [inspection, me] = await Promise.all([api.onsite(id), api.myAccount()]);
      return { inspection, me };
    }, [id]),
  );
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [rep, setRep] = useState({ name: '', title: '' });
  const myPad = useRef<SignaturePadHandle>(null);
  const repPad = useRef<SignaturePadHandle>(null);

  if (state.state === 'loading') return <PageState state="loading" />;
  if (state.state === 'failed') return <PageState state="failed" error={state.error} onRetry={reload} />;
  const { inspection: o, me } = state.value;
  const show = (inspection: OnsiteInspection) => set({ inspection, me });
  const act = async (fn: () => Promise<OnsiteInspection>) => {
    setBusy(true);
    setError(undefined);
    try {
      show(await fn());
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const saveOne = async (code: string, answer: ChecklistAnswer) => {
    try {
      setError(undefined);
      show(await api.saveOnsiteAnswers(o.id, { [code]: answer }));
    } catch (e) {
      // Nothing is lost: the server keeps what was saved; this answer is tapped again.
      setError(`未保存：${messageOf(e)}`);
    }
  };
  const restConform = () =>
    act(() =>
      api.saveOnsiteAnswers(
        o.id,
        Object.fromEntries(o.items.filter((i) => !i.answer).map((i) => [i.code, { result: 'conform' as const }])),
      ),
    );
  const signWith = (
    pad: SignaturePadHandle | null,
    body: { role: 'inspector' | 'representative'; name?: string; title?: string },
  ) => {
    const verdict = pad?.validate();
    if (verdict?.problem && verdict.problem !== 'empty') return;
    void act(async () => {
      if (!pad || !verdict?.ok) throw new Error('请在签名框内手写签名');
      const signature = await uploadPhoto(await pad.toImage());
      return api.signOnsite(o.id, { ...body, documentSha256: o.documentSha256 ?? '', signature });
    });
  };
  const iSigned = o.inspectors.some((i) => i.userId === me.userId && i.signed);
  const iAmInspector = o.inspectors.some((i) => i.userId === me.userId);
  const areas = [...new Set(o.items.map((i) => i.areaLabel))];

  return (
    <View className="inspect" id="inspection">
      <View className="inspect__card">
        <View className="inspect__line">
          <Text className="inspect__title">{o.shopName}</Text>
          <StatusTag
            tone={o.state === 'recorded' ? 'done' : o.state === 'signing' ? 'overdue' : 'waiting'}
            text={o.stateLabel}
          />
        </View>
        <Text className="inspect__muted">
          {o.date} · 执法人员 {o.inspectors.map((i) => `${i.name}（${i.certificateNo}）`).join('、')}
        </Text>
        <Text className="inspect__score" id="inspect-score">
          得分 {o.score.total} · {o.score.dynamicGrade} · {o.score.resultLabel}
          {o.score.missing ? ` · 未检查 ${o.score.missing} 项` : ''}
        </Text>
        {error && (
          <Text className="inspect__error" id="inspect-error">
            {error}
          </Text>
        )}
      </View>

      {areas.map((area) => (
        <View key={area} className="inspect__card">
          <Text className="inspect__label">{area}</Text>
          {o.items.map((item, index) =>
            item.areaLabel === area ? (
              <ItemRow
                key={item.code}
                item={item}
                index={index}
                editable={o.state === 'draft'}
                onSave={(answer) => saveOne(item.code, answer)}
              />
            ) : null,
          )}
        </View>
      ))}

      {o.state === 'draft' && (
        <View className="inspect__card" id="inspect-finish-card">
          {o.score.missing > 0 && (
            <Button id="inspect-rest-conform" disabled={busy} onClick={() => void restConform()}>
              其余 {o.score.missing} 项判为符合
            </Button>
          )}
          <SubmitButton
            id="inspect-finish"
            errorId="inspect-finish-error"
            loading={busy}
            disabled={o.score.missing > 0}
            onClick={() => void act(() => api.finishOnsite(o.id))}
          >
            完成检查，生成结果记录表
          </SubmitButton>
        </View>
      )}

      {o.state !== 'draft' && o.text && (
        <View className="inspect__card" id="inspect-record">
          <Text className="inspect__label">监督检查结果记录表</Text>
          <Text className="inspect__doc">{o.text}</Text>
          <Text className="inspect__muted inspect__hash">文书摘要（SHA-256）：{o.documentSha256}</Text>
        </View>
      )}

      {o.state === 'signing' && (
        <View className="inspect__card" id="inspect-signing">
          <Text className="inspect__label">签名</Text>
          {o.inspectors.map((i) => (
            <Text key={i.userId} className="inspect__muted">
              执法人员 {i.name}：{i.signed ? '已签名' : '待签名'}
            </Text>
          ))}
          <Text className="inspect__muted" id="inspect-rep-state">
            被检查单位负责人：{o.representative ? `${o.representative.name} 已签名` : '待签名'}
          </Text>
          {iAmInspector && !iSigned && (
            <View className="inspect__sign" id="inspector-sign">
              <Text className="inspect__label">执法人员 {me.name} 签名</Text>
              <SignaturePad ref={myPad} canvasId="inspector-pad" />
              <Button
                id="inspector-sign-submit"
                type="primary"
                loading={busy}
                onClick={() => signWith(myPad.current, { role: 'inspector' })}
              >
                确认并签名
              </Button>
            </View>
          )}
          {!o.representative && (
            <View className="inspect__sign" id="representative-sign">
              <Text className="inspect__label">被检查单位负责人签名（请负责人核对记录表后签署）</Text>
              <Input
                id="rep-name"
                className="inspect__input"
                value={rep.name}
                placeholder="负责人姓名"
                onInput={(e) => setRep({ ...rep, name: e.detail.value })}
              />
              <Input
                id="rep-title"
                className="inspect__input"
                value={rep.title}
                placeholder="职务（如：负责人、店长）"
                onInput={(e) => setRep({ ...rep, title: e.detail.value })}
              />
              <SignaturePad ref={repPad} canvasId="representative-pad" />
              <Button
                id="representative-sign-submit"
                type="primary"
                loading={busy}
                disabled={rep.name.trim().length < 2}
                onClick={() =>
                  signWith(repPad.current, {
                    role: 'representative',
                    name: rep.name.trim(),
                    ...(rep.title.trim() ? { title: rep.title.trim() } : {}),
                  })
                }
              >
                负责人签名
              </Button>
            </View>
          )}
          <Button id="inspect-reopen" disabled={busy} onClick={() => void act(() => api.reopenOnsite(o.id))}>
            退回修改（已有签名作废）
          </Button>
        </View>
      )}

      {o.state === 'recorded' && (
        <View className="inspect__card" id="inspect-recorded">
          <Text className="inspect__label">已归档</Text>
          <Text className="inspect__muted">
            检查结果已进入门店公示档案
            {o.noticeIds.length ? `，已向门店发出 ${o.noticeIds.length} 份整改通知` : ''}。
          </Text>
        </View>
      )}
    </View>
  );
}

export default function InspectPage() {
  const { params } = useRouter();
  if (params.id) return <Inspection id={params.id} />;
  if (params.shop) return <StartInspection shopId={params.shop} />;
  return <PageState state="empty" text="请从门店页开始现场检查" />;
}
