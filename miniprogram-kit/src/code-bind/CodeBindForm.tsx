import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { messageOf } from '@ygsa/shared';
import './CodeBindForm.scss';

/**
 * Binding with an invitation code (an operator joining a shop, a regulator binding an account):
 * the code as typed, trimmed and upper-cased; the button waits for a whole code; a refusal is
 * said under the field and the code stays for another try.
 */
export function CodeBindForm(props: {
  title: string;
  hint: string;
  /** How many characters a code has. */
  length: number;
  buttonText: string;
  onBind: (code: string) => Promise<void>;
}) {
  const [code, setCode] = useState('');
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const bind = async () => {
    setState({ busy: true });
    try {
      await props.onBind(code.trim().toUpperCase());
      setCode('');
      setState({ busy: false });
    } catch (e) {
      setState({ busy: false, error: messageOf(e) });
    }
  };
  return (
    <View className="code-bind" id="bind-form">
      <Text className="code-bind__title">{props.title}</Text>
      <Text className="code-bind__hint">{props.hint}</Text>
      <Input
        id="bind-input"
        className="code-bind__input"
        value={code}
        maxlength={props.length}
        placeholder={`${props.length} 位邀请码`}
        onInput={(e) => setCode(e.detail.value)}
      />
      {state.error && (
        <Text className="code-bind__error" id="bind-error">
          {state.error}
        </Text>
      )}
      <Button
        id="bind-button"
        type="primary"
        size="large"
        block
        loading={state.busy}
        disabled={code.trim().length !== props.length}
        onClick={() => void bind()}
      >
        {props.buttonText}
      </Button>
    </View>
  );
}
