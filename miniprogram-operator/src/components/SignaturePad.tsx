import { useRef } from 'react';
import Taro from '@tarojs/taro';
import { Canvas, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import './SignaturePad.scss';

/** The drawing of a SignaturePad as a PNG file on the phone (to upload). */
export async function exportSignature(canvasId: string): Promise<string> {
  const { tempFilePath } = await Taro.canvasToTempFilePath({ canvasId, fileType: 'png' });
  return tempFilePath;
}

/** A finger signature: strokes drawn on a canvas; `onChange(true)` once something is drawn. */
export function SignaturePad(props: { canvasId: string; onChange: (signed: boolean) => void }) {
  const ctx = useRef<Taro.CanvasContext | null>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const pen = () => {
    if (!ctx.current) {
      ctx.current = Taro.createCanvasContext(props.canvasId);
      ctx.current.setStrokeStyle('#1f2328');
      ctx.current.setLineWidth(3);
      ctx.current.setLineCap('round');
    }
    return ctx.current;
  };
  // WeChat gives touch points relative to the canvas; a browser gives page points, made relative here.
  const point = (e: {
    touches: { x?: number; y?: number; clientX?: number; clientY?: number }[];
    currentTarget?: { getBoundingClientRect?: () => { left: number; top: number } };
  }) => {
    const t = e.touches[0];
    if (t?.x !== undefined && t.y !== undefined) return { x: t.x, y: t.y };
    const rect = e.currentTarget?.getBoundingClientRect?.() ?? { left: 0, top: 0 };
    return { x: (t?.clientX ?? 0) - rect.left, y: (t?.clientY ?? 0) - rect.top };
  };
  return (
    <View className="sign">
      <Canvas
        canvasId={props.canvasId}
        id={props.canvasId}
        className="sign__pad"
        disableScroll
        onTouchStart={(e) => {
          last.current = point(e as never);
        }}
        onTouchMove={(e) => {
          const p = point(e as never);
          const from = last.current ?? p;
          const c = pen();
          c.beginPath();
          c.moveTo(from.x, from.y);
          c.lineTo(p.x, p.y);
          c.stroke();
          c.draw(true);
          last.current = p;
          props.onChange(true);
        }}
      />
      <Button
        size="small"
        onClick={() => {
          pen().clearRect(0, 0, 2000, 2000);
          pen().draw();
          props.onChange(false);
        }}
      >
        重新签名
      </Button>
    </View>
  );
}
