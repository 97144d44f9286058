import { useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Image, Input, Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import {
  ApiError,
  COMPLAINT_CATEGORIES,
  COMPLAINT_CATEGORY_LABELS,
  chinaDate,
  formatChineseDate,
  type SimilarComplaint,
} from '@ygsa/shared';
import { pickAndUploadPhotos, SubmitButton } from '@ygsa/kit';
import { api, deviceKeys, drafts, newIdempotencyKey, signedIn, uploadPhoto } from '../../api/client';
import { fieldErrorsOf, messageOf } from '../../api/errors';
import { PhoneNumberButton } from '../../components/PhoneNumberButton';
import { ShopPicker } from '../../components/ShopPicker';
import { replacePage } from '../../nav';
import { currentPosition, type Position } from '../../platform/device';
import { askMessageConsent } from '../../platform/subscribe';
import './index.scss';

type Category = (typeof COMPLAINT_CATEGORIES)[number];
interface Draft {
  idempotencyKey: string;
  type: 'complaint' | 'report';
  anonymous: boolean;
  category: Category | '';
  description: string;
  photos: string[];
  /** Local paths of the picked photos, for the preview (the uploaded copies need sign-in to fetch). */
  previews: string[];
  name: string;
  phone: string;
  /** The number WeChat verified, masked (the complaint uses it instead of a typed one). */
  verifiedPhone: string;
  /** 通讯地址: required for a 投诉 (SAMR Order No. 20). */
  address: string;
  request: string;
  shopId: string;
  shopName: string;
  /** A place not listed (e.g. a street stall), described: reported by position, not by shop. */
  place: string;
}
const complaintDraft = drafts<Draft>('complaint');

function loadDraft(shopId: string, shopName: string): Draft {
  const d = complaintDraft.load();
  if (d && (!shopId || d.shopId === shopId))
    return { ...d, address: d.address ?? '', verifiedPhone: d.verifiedPhone ?? '', place: d.place ?? '' };
  return {
    idempotencyKey: newIdempotencyKey(),
    type: 'complaint',
    anonymous: false,
    category: '',
    description: '',
    photos: [],
    previews: [],
    name: '',
    phone: '',
    verifiedPhone: '',
    address: '',
    request: '',
    shopId,
    shopName,
    place: '',
  };
}

/** File a 投诉 or 举报: located, with photos, kept as a draft until it is safely sent. */
export default function ComplaintPage() {
  const { params } = useRouter<{ shop?: string; name?: string }>();
  const [draft, setDraft] = useState<Draft>(() => loadDraft(params.shop ?? '', decodeURIComponent(params.name ?? '')));
  const [position, setPosition] = useState<Position | null>(null);
  const [similar, setSimilar] = useState<SimilarComplaint[] | null>(null);
  const [error, setError] = useState<string>();
  /** The API's sentence for each field it refused, shown under the field until the field changes. */
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string>();

  useEffect(() => {
    let live = true;
    void currentPosition()
      .then((pos) => live && setPosition(pos))
      .catch(() => live && setError('无法获取位置，请在设置中允许定位后重试'));
    return () => {
      live = false;
    };
  }, []);

  const change = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    complaintDraft.save(next);
    // A field's error goes once the field is changed.
    const touched = Object.keys(patch).map((k) =>
      k === 'verifiedPhone' ? 'phone' : k === 'shopId' ? 'establishmentId' : k,
    );
    if (touched.some((k) => fieldErrors[k])) {
      setFieldErrors((old) => Object.fromEntries(Object.entries(old).filter(([k]) => !touched.includes(k))));
    }
    setError(undefined);
  };

  const addPhotos = async () => {
    try {
      const picked = await pickAndUploadPhotos({
        count: 9 - draft.photos.length,
        upload: uploadPhoto,
        onUploading: () => setBusy('photo'),
      });
      if (!picked) return;
      change({
        photos: [...draft.photos, ...picked.ids].slice(0, 9),
        previews: [...(draft.previews ?? []), ...picked.paths].slice(0, 9),
      });
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };

  /** Files the draft: on its own, or (我也遇到) as a party to an open matter about the same shop. */
  const send = async (joinOf?: string) => {
    if (!position) return setError('正在获取位置，请稍候');
    setBusy(joinOf ? `join-${joinOf}` : 'submit');
    setError(undefined);
    try {
      const input = {
        idempotencyKey: draft.idempotencyKey,
        type: draft.type,
        ...(draft.shopId ? { establishmentId: draft.shopId } : { place: draft.place.trim() || undefined }),
        category: draft.category as Category,
        description: draft.description,
        photos: draft.photos,
        location: position,
        anonymous: draft.type === 'report' && draft.anonymous,
        useVerifiedPhone: !!draft.verifiedPhone && !(draft.type === 'report' && draft.anonymous),
        ...(draft.type === 'complaint' || !draft.anonymous
          ? {
              name: draft.name || undefined,
              phone: draft.verifiedPhone ? undefined : draft.phone || undefined,
              address: draft.address.trim() || undefined,
            }
          : {}),
        ...(draft.type === 'complaint' ? { request: draft.request } : {}),
      };
      const r = joinOf ? await api.joinComplaint(joinOf, input) : await api.fileComplaint(input);
      if (r.deviceKey) deviceKeys.add(r.deviceKey);
      complaintDraft.clear();
      void replacePage('complaints', { filed: r.complaint.number });
    } catch (e) {
      // The draft and its key stay: sending again cannot file twice.
      const fields = fieldErrorsOf(e);
      setFieldErrors(fields);
      setError(
        e instanceof ApiError && e.code === 'NETWORK_ERROR'
          ? '网络异常，已保存草稿，请稍后重试'
          : e instanceof ApiError && e.code === 'VALIDATION_FAILED' && Object.keys(fields).length
            ? '请按提示修改后再提交'
            : messageOf(e),
      );
    } finally {
      setBusy(undefined);
    }
  };

  /** Before filing, offers open complaints about the same shop nearby (join instead of repeating). */
  const submit = async () => {
    if (!draft.shopId && draft.place.trim().length < 4) return setError('请选择门店，或选“门店不在列表中”描述地点');
    if (!draft.category) return setError('请选择问题类别');
    // WeChat asks consent only inside a tap, so this comes first: the status messages are what a
    // real-name filer follows the case by (an anonymous reporter is not told the outcome).
    if (draft.type === 'complaint' || !draft.anonymous) await askMessageConsent(['complaintStatus']);
    try {
      await signedIn();
      if (similar === null && position && draft.shopId) {
        const found = await api.similarComplaints(draft.shopId, position);
        if (found.length) return setSimilar(found);
      }
    } catch (e) {
      return setError(messageOf(e));
    }
    await send();
  };

  return (
    <View className="complaint">
      <View className="complaint__card">
        <Text className="complaint__label">门店或地点</Text>
        <ShopPicker
          value={{ shopId: draft.shopId, shopName: draft.shopName, place: draft.place }}
          position={position}
          locked={!!params.shop}
          onChange={(v) => change(v)}
        />
        <FieldError name="establishmentId" errors={fieldErrors} />
        <FieldError name="place" errors={fieldErrors} />
      </View>

      <View className="complaint__card">
        <View className="complaint__choices">
          {(['complaint', 'report'] as const).map((t) => (
            <Text
              key={t}
              id={`type-${t}`}
              className={`complaint__chip ${draft.type === t ? 'complaint__chip--on' : ''}`}
              onClick={() => change({ type: t })}
            >
              {t === 'complaint' ? '投诉（消费纠纷）' : '举报（违法线索）'}
            </Text>
          ))}
        </View>
        {draft.type === 'report' && (
          <Text
            id="anonymous"
            className={`complaint__chip ${draft.anonymous ? 'complaint__chip--on' : ''}`}
            onClick={() => change({ anonymous: !draft.anonymous })}
          >
            {draft.anonymous ? '匿名举报 ✓（不会告知处理结果）' : '匿名举报'}
          </Text>
        )}
        <Text className="complaint__label">问题类别</Text>
        <View className="complaint__choices">
          {COMPLAINT_CATEGORIES.map((c) => (
            <Text
              key={c}
              id={`category-${c}`}
              className={`complaint__chip ${draft.category === c ? 'complaint__chip--on' : ''}`}
              onClick={() => change({ category: c })}
            >
              {COMPLAINT_CATEGORY_LABELS[c]}
            </Text>
          ))}
        </View>
        <FieldError name="category" errors={fieldErrors} />
        <Text className="complaint__label">事情经过</Text>
        <Textarea
          id="description"
          className="complaint__area"
          maxlength={2000}
          value={draft.description}
          placeholder="时间、经过、您看到的问题（至少 10 个字）"
          onInput={(e) => change({ description: e.detail.value })}
        />
        <FieldError name="description" errors={fieldErrors} />
        <View className="complaint__photos">
          <Button
            id="add-photo"
            size="small"
            loading={busy === 'photo'}
            disabled={draft.photos.length >= 9}
            onClick={() => void addPhotos()}
          >
            添加照片
          </Button>
          <Text className="complaint__muted" id="photo-count">
            已上传 {draft.photos.length}/9 张
          </Text>
        </View>
        <FieldError name="photos" errors={fieldErrors} />
        <View className="complaint__previews">
          {(draft.previews ?? []).map((src, i) => (
            <View key={src} className="complaint__preview">
              <Image className="complaint__thumb" src={src} mode="aspectFill" />
              <Text
                className="complaint__remove"
                onClick={() =>
                  change({
                    photos: draft.photos.filter((_, j) => j !== i),
                    previews: (draft.previews ?? []).filter((_, j) => j !== i),
                  })
                }
              >
                删除
              </Text>
            </View>
          ))}
        </View>
      </View>

      {(draft.type === 'complaint' || !draft.anonymous) && (
        <View className="complaint__card">
          <Text className="complaint__label">
            {draft.type === 'complaint' ? '投诉人信息（必填，商家看不到）' : '联系方式（选填，商家看不到）'}
          </Text>
          <Input
            id="name"
            className="complaint__input"
            placeholder="姓名"
            value={draft.name}
            onInput={(e) => change({ name: e.detail.value })}
          />
          <FieldError name="name" errors={fieldErrors} />
          {draft.verifiedPhone ? (
            <View className="complaint__verified" id="phone-verified">
              <Text>{draft.verifiedPhone}（微信已验证）</Text>
              <Text className="complaint__link" onClick={() => change({ verifiedPhone: '' })}>
                改为手动填写
              </Text>
            </View>
          ) : (
            <>
              <Input
                id="phone"
                className="complaint__input"
                type="number"
                placeholder="手机号"
                value={draft.phone}
                onInput={(e) => change({ phone: e.detail.value })}
              />
              <PhoneNumberButton
                onVerified={(masked) => change({ verifiedPhone: masked, phone: '' })}
                onMessage={setError}
              />
            </>
          )}
          <FieldError name="phone" errors={fieldErrors} />
          {draft.type === 'complaint' &&
            (
              [
                ['address', '通讯地址（接收书面答复）'],
                ['request', '您的诉求，如退款、赔偿、整改'],
              ] as const
            ).map(([field, placeholder]) => (
              <View key={field}>
                <Input
                  id={field}
                  className="complaint__input"
                  placeholder={placeholder}
                  value={draft[field]}
                  onInput={(e) => change({ [field]: e.detail.value })}
                />
                <FieldError name={field} errors={fieldErrors} />
              </View>
            ))}
        </View>
      )}

      {similar && similar.length > 0 && (
        <View className="complaint__card" id="similar">
          <Text className="complaint__label">
            附近已有人反映这家店的问题。点「我也遇到」，您填写的内容将作为同一事项的一方提交，有自己的编号和办理期限：
          </Text>
          {similar.map((s) => (
            <View key={s.id} className="complaint__similar">
              <Text className="complaint__muted">
                {s.categoryLabel} · {s.statusLabel} · 约 {s.distanceM} 米内 ·{' '}
                {formatChineseDate(chinaDate(new Date(s.createdAt)))}
                {s.parties > 1 ? ` · ${s.parties} 人反映` : ''}
              </Text>
              <Button
                size="small"
                id={`join-${s.id}`}
                loading={busy === `join-${s.id}`}
                onClick={() => void send(s.id)}
              >
                我也遇到
              </Button>
            </View>
          ))}
        </View>
      )}

      <SubmitButton
        id="submit-complaint"
        error={error}
        errorId="complaint-error"
        loading={busy === 'submit'}
        onClick={() => void (similar ? send() : submit())}
      >
        {similar ? '仍要单独提交' : '提交'}
      </SubmitButton>
      <Text className="complaint__muted">您的姓名和联系方式只有监管部门可见，门店看不到。</Text>
    </View>
  );
}

/** The refusal of one field, under it. */
function FieldError({ name, errors }: { name: string; errors: Record<string, string> }) {
  return errors[name] ? (
    <Text className="complaint__field-error" id={`error-${name}`}>
      {errors[name]}
    </Text>
  ) : null;
}
