import { forwardRef, useImperativeHandle, useRef, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { checkSignature, type SignatureCheck, type SignaturePoint } from '@ygsa/shared';
import { SignatureSurface, type SurfaceHandle } from './SignatureSurface';
import './SignaturePad.scss';

export interface SignaturePadHandle {
  /**
   * The signature rule's verdict (shared/src/signature.ts, its defaults) on what is on the pad now;
   * a refusal for too little ink is also shown on the pad, under the strokes, until the next stroke.
   */
  validate(): SignatureCheck;
  /** What was drawn, as a PNG file to upload, at the screen's pixel density. */
  toImage(): Promise<string>;
}

/** Moves shorter than this (logical px) add points but no shape: jitter of a resting finger. */
const MIN_STEP = 1;

/**
 * A handwritten signature with finger, mouse or pen: keeps every stroke, so that 撤销一笔 and 重写
 * redraw from them and the rule can judge them. Pages ask `validate()` before they submit.
 */
export const SignaturePad = forwardRef<SignaturePadHandle, { canvasId: string }>(function SignaturePad(
  { canvasId },
  ref,
) {
  const strokes = useRef<SignaturePoint[][]>([]);
  const surface = useRef<SurfaceHandle>(null);
  // Only the number of finished strokes is rendered: a re-render per point would stall the pen.
  const [count, setCount] = useState(0);
  const [refusal, setRefusal] = useState<string | null>(null);

  useImperativeHandle(
    ref,
    () => ({
      validate() {
        // The deployment may tighten or loosen the rule at build time (YG_SIGNATURE_RULE, JSON).
        const verdict = checkSignature(strokes.current, YG_SIGNATURE_RULE);
        // An empty pad is the page's to mention (it knows who must sign); what is wrong with the
        // ink is said here, where the signer is looking.
        setRefusal(verdict.problem === 'empty' ? null : verdict.message);
        return verdict;
      },
      toImage: () => surface.current?.toImage() ?? Promise.reject(new Error('签名板尚未就绪，请重试')),
    }),
    [],
  );

  const redraw = (next: SignaturePoint[][]) => {
    strokes.current = next;
    surface.current?.paint(next);
    setCount(next.length);
    setRefusal(null);
  };

  return (
    <View className="sign">
      <SignatureSurface
        ref={surface}
        canvasId={canvasId}
        className="sign__pad"
        strokes={() => strokes.current}
        onStart={(p) => {
          const stroke = [p];
          strokes.current.push(stroke);
          setRefusal(null);
          surface.current?.extend(stroke);
        }}
        onMove={(p) => {
          const stroke = strokes.current[strokes.current.length - 1];
          const last = stroke?.[stroke.length - 1];
          if (!stroke || !last || Math.hypot(p.x - last.x, p.y - last.y) < MIN_STEP) return;
          stroke.push(p);
          surface.current?.extend(stroke);
        }}
        onEnd={() => setCount(strokes.current.length)}
      />
      <View className="sign__bar">
        <Text id={`${canvasId}-hint`} className={refusal ? 'sign__hint sign__hint--refused' : 'sign__hint'}>
          {refusal ?? (count ? `已写 ${count} 笔` : '请在框内用正楷签写完整姓名')}
        </Text>
        <Button
          id={`${canvasId}-undo`}
          size="small"
          disabled={count === 0}
          onClick={() => redraw(strokes.current.slice(0, -1))}
        >
          撤销一笔
        </Button>
        <Button id={`${canvasId}-clear`} size="small" disabled={count === 0} onClick={() => redraw([])}>
          重写
        </Button>
      </View>
    </View>
  );
});
