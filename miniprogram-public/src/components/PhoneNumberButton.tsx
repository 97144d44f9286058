import { useState } from 'react';
import { Button as TaroButton } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { phoneCodeOf, type PhoneNumberEventDetail } from '@ygsa/shared';
import { api, signedIn } from '../api/client';
import { messageOf } from '../api/errors';
import { platform } from '../platform';

const LABEL = '使用微信绑定的手机号';

/**
 * 手机号快速验证: WeChat's getPhoneNumber button gives a code that the API exchanges for the number
 * WeChat verified; the phone gets it back masked (the full number stays with the office). The H5
 * build asks the WeChat stand-in for the code instead. Typed entry stays the fallback: a refusal
 * only explains itself.
 */
export function PhoneNumberButton(props: {
  onVerified: (masked: string) => void;
  onMessage: (message: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const verify = async (code: string) => {
    setBusy(true);
    try {
      await signedIn();
      props.onVerified((await api.verifyPhone(code)).masked);
    } catch (e) {
      props.onMessage(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  if (process.env.TARO_ENV === 'weapp') {
    return (
      <TaroButton
        className="phone-button"
        openType="getPhoneNumber"
        onGetPhoneNumber={(e) => {
          const got = phoneCodeOf(e.detail as PhoneNumberEventDetail);
          if (got.code) void verify(got.code);
          else if (got.message) props.onMessage(got.message);
        }}
      >
        {LABEL}
      </TaroButton>
    );
  }
  return (
    <Button
      id="phone-from-wechat"
      size="small"
      loading={busy}
      onClick={() =>
        void platform
          .devPhoneNumberCode()
          .then(verify)
          .catch((e: unknown) => props.onMessage(messageOf(e)))
      }
    >
      {LABEL}
    </Button>
  );
}
