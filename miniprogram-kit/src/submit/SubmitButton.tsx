import type { ReactNode } from 'react';
import { Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import './SubmitButton.scss';

/**
 * A form's one primary action with the form's error above it: the error is said where the user
 * looks before tapping again, and the button shows it is working while the request runs.
 */
export function SubmitButton(props: {
  id: string;
  /** The message of the last failed attempt (cleared by the page when the user fixes the input). */
  error?: string | null;
  errorId?: string;
  loading?: boolean;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <>
      {props.error && (
        <Text className="submit-error" id={props.errorId}>
          {props.error}
        </Text>
      )}
      <Button
        id={props.id}
        type="primary"
        size="large"
        block
        loading={props.loading}
        disabled={props.disabled}
        onClick={props.onClick}
      >
        {props.children}
      </Button>
    </>
  );
}
