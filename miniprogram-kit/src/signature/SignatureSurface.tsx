import { forwardRef, useEffect, useImperativeHandle, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import Taro from '@tarojs/taro';
import { Canvas, type CanvasTouch, type CanvasTouchEvent } from '@tarojs/components';
import type { SignaturePoint, SignatureStroke } from '@ygsa/shared';

/**
 * The drawing surface of a signature pad, one per build: WeChat's canvas gives touch events only
 * (points relative to the canvas) and draws through its own context; the H5 build draws on a DOM
 * canvas fed by pointer events (mouse, touch and pen alike). The pad sees only this interface.
 */
export interface SurfaceHandle {
  /** Paper white, then every stroke again (after 撤销一笔, 重写, or a resize that cleared the bitmap). */
  paint(strokes: readonly SignatureStroke[]): void;
  /** Draws what the stroke being written just gained: a dot at its first point, then each new segment. */
  extend(stroke: SignatureStroke): void;
  /** The drawing as a PNG the upload path accepts: a WeChat temp file, or a blob: URL in H5. */
  toImage(): Promise<string>;
}

export interface SurfaceProps {
  canvasId: string;
  className: string;
  /** The strokes so far, for repaints the surface decides on itself. */
  strokes: () => readonly SignatureStroke[];
  onStart(p: SignaturePoint): void;
  onMove(p: SignaturePoint): void;
  onEnd(): void;
}

const INK = '#1f2328';
const PAPER = '#ffffff';
/** In the pad's logical pixels: firm enough to read once printed, fine enough for small characters. */
const LINE_WIDTH = 3;

/** The drawing calls both canvas contexts share (WeChat's legacy CanvasContext and the DOM's). */
interface Pen {
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  arc(x: number, y: number, r: number, start: number, end: number): void;
  fill(): void;
}

function trace(pen: Pen, stroke: SignatureStroke, from = 0): void {
  const first = stroke[from];
  if (!first) return;
  if (stroke.length === 1) {
    // A tap is ink too (the dot of 主): a line of zero length is not reliably drawn by canvases.
    pen.beginPath();
    pen.arc(first.x, first.y, LINE_WIDTH / 2, 0, 2 * Math.PI);
    pen.fill();
    return;
  }
  pen.beginPath();
  pen.moveTo(first.x, first.y);
  for (const p of stroke.slice(from + 1)) pen.lineTo(p.x, p.y);
  pen.stroke();
}

const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);

// ---- WeChat (weapp): touch events on Taro's Canvas, drawn with the legacy context by canvasId ----

const WeappSurface = forwardRef<SurfaceHandle, SurfaceProps>(function WeappSurface(props, ref) {
  const live = useRef(props);
  live.current = props;
  const touchId = useRef<number | null>(null);
  const size = useRef<{ width: number; height: number } | null>(null);
  const ctx = useRef<Taro.CanvasContext | null>(null);

  // WeChat forgets every style at each draw(), so each batch sets them again.
  const pen = () => {
    const c = ctx.current ?? Taro.createCanvasContext(props.canvasId);
    ctx.current = c;
    c.setStrokeStyle(INK);
    c.setFillStyle(INK);
    c.setLineWidth(LINE_WIDTH);
    c.setLineCap('round');
    c.setLineJoin('round');
    return c;
  };

  const paint = (strokes: readonly SignatureStroke[]) => {
    const c = pen();
    c.setFillStyle(PAPER);
    c.fillRect(0, 0, size.current?.width ?? 2000, size.current?.height ?? 2000);
    c.setFillStyle(INK);
    for (const s of strokes) trace(c, s);
    c.draw(false);
  };

  useImperativeHandle(
    ref,
    () => ({
      paint,
      extend(stroke) {
        const c = pen();
        trace(c, stroke, Math.max(0, stroke.length - 2));
        c.draw(true);
      },
      async toImage() {
        // Let pending draws land before the export reads the canvas; the export is at the
        // screen's pixel ratio (WeChat's default destWidth is width × pixelRatio).
        await new Promise<void>((resolve) => pen().draw(true, () => resolve()));
        const { tempFilePath } = await Taro.canvasToTempFilePath({ canvasId: props.canvasId, fileType: 'png' });
        return tempFilePath;
      },
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- paint and pen read only refs and the id
    [props.canvasId],
  );

  useEffect(() => {
    // The size bounds the points and the paper; white paper from the start, so that the stored
    // PNG is not transparent (which viewers with a dark background show as black on black).
    Taro.createSelectorQuery()
      .select(`#${props.canvasId}`)
      .boundingClientRect((rect) => {
        const r = Array.isArray(rect) ? rect[0] : rect;
        if (r) size.current = { width: r.width, height: r.height };
        paint(live.current.strokes());
      })
      .exec();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- paint reads only refs and the id
  }, [props.canvasId]);

  const at = (t: CanvasTouch): SignaturePoint => {
    const s = size.current;
    return s ? { x: clamp(t.x, s.width), y: clamp(t.y, s.height) } : { x: t.x, y: t.y };
  };
  const mine = (touches: CanvasTouch[]) => touches.find((t) => t.identifier === touchId.current);

  return (
    <Canvas
      canvasId={props.canvasId}
      id={props.canvasId}
      className={props.className}
      disableScroll
      onTouchStart={(e: CanvasTouchEvent) => {
        const t = e.changedTouches[0] ?? e.touches[0];
        if (touchId.current !== null || !t) return; // a second finger does not write
        touchId.current = t.identifier;
        live.current.onStart(at(t));
      }}
      onTouchMove={(e: CanvasTouchEvent) => {
        const t = mine(e.touches) ?? mine(e.changedTouches);
        if (t) live.current.onMove(at(t));
      }}
      onTouchEnd={(e: CanvasTouchEvent) => {
        if (!mine(e.changedTouches)) return;
        touchId.current = null;
        live.current.onEnd();
      }}
      onTouchCancel={() => {
        if (touchId.current === null) return;
        touchId.current = null;
        live.current.onEnd();
      }}
    />
  );
});

// ---- Browser (h5): pointer events on a DOM canvas whose bitmap is at the device pixel ratio ----

const H5Surface = forwardRef<SurfaceHandle, SurfaceProps>(function H5Surface(props, ref) {
  const live = useRef(props);
  live.current = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const pointerId = useRef<number | null>(null);
  const exported = useRef<string | null>(null);

  const pen = () => {
    const c = canvas.current;
    const g = c?.getContext('2d');
    if (!c || !g) return null;
    // Points are in CSS pixels; the bitmap has devicePixelRatio pixels for each.
    const ratio = c.width / Math.max(1, c.clientWidth);
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.strokeStyle = INK;
    g.fillStyle = INK;
    g.lineWidth = LINE_WIDTH;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    return g;
  };

  const paint = (strokes: readonly SignatureStroke[]) => {
    const g = pen();
    if (!g) return;
    g.fillStyle = PAPER;
    g.fillRect(0, 0, g.canvas.width, g.canvas.height);
    g.fillStyle = INK;
    for (const s of strokes) trace(g, s);
  };

  useImperativeHandle(ref, () => ({
    paint,
    extend(stroke) {
      const g = pen();
      if (g) trace(g, stroke, Math.max(0, stroke.length - 2));
    },
    toImage: () =>
      new Promise<string>((resolve, reject) => {
        const c = canvas.current;
        if (!c) return reject(new Error('签名板尚未就绪，请重试'));
        c.toBlob((blob) => {
          if (!blob) return reject(new Error('签名图片生成失败，请重试'));
          if (exported.current) URL.revokeObjectURL(exported.current);
          exported.current = URL.createObjectURL(blob);
          resolve(exported.current);
        }, 'image/png');
      }),
  }));

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    // The bitmap follows the element's size at the screen's density (sharp on a phone); resizing
    // clears it, so everything is painted again from the strokes.
    const fit = () => {
      const ratio = window.devicePixelRatio || 1;
      const width = Math.round(c.clientWidth * ratio);
      const height = Math.round(c.clientHeight * ratio);
      if (width === c.width && height === c.height) return;
      c.width = width;
      c.height = height;
      paint(live.current.strokes());
    };
    fit();
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(fit) : null;
    observer?.observe(c);
    window.addEventListener('resize', fit); // also a change of zoom, hence of devicePixelRatio
    // touch-action: none (in the stylesheet) keeps the browser's pan, zoom and back-swipe off the
    // canvas; cancelling the touches as well covers browsers that start a gesture regardless.
    const hold = (e: TouchEvent) => {
      if (e.cancelable) e.preventDefault();
    };
    c.addEventListener('touchstart', hold, { passive: false });
    c.addEventListener('touchmove', hold, { passive: false });
    return () => {
      observer?.disconnect();
      window.removeEventListener('resize', fit);
      c.removeEventListener('touchstart', hold);
      c.removeEventListener('touchmove', hold);
      if (exported.current) URL.revokeObjectURL(exported.current);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on mount; reads props through `live`
  }, []);

  const at = (e: { clientX: number; clientY: number }): SignaturePoint => {
    const c = canvas.current;
    if (!c) return { x: e.clientX, y: e.clientY };
    const r = c.getBoundingClientRect();
    // Relative to the drawing area inside the border; a pen held past the edge stays on the edge.
    return {
      x: clamp(e.clientX - r.left - c.clientLeft, c.clientWidth),
      y: clamp(e.clientY - r.top - c.clientTop, c.clientHeight),
    };
  };
  const end = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (e.pointerId !== pointerId.current) return;
    pointerId.current = null;
    live.current.onEnd();
  };

  return (
    <canvas
      ref={canvas}
      id={props.canvasId}
      className={props.className}
      onPointerDown={(e) => {
        // One pointer writes at a time (a resting palm or second finger does not); a mouse writes
        // with its main button only.
        if (pointerId.current !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
        e.preventDefault(); // no text selection or image drag under a mouse
        pointerId.current = e.pointerId;
        e.currentTarget.setPointerCapture(e.pointerId);
        live.current.onStart(at(e));
      }}
      onPointerMove={(e) => {
        if (e.pointerId !== pointerId.current) return;
        // Fast strokes deliver several positions per frame; all of them are the signature.
        const native = e.nativeEvent;
        const all = typeof native.getCoalescedEvents === 'function' ? native.getCoalescedEvents() : [];
        for (const p of all.length ? all : [native]) live.current.onMove(at(p));
      }}
      onPointerUp={end}
      onPointerCancel={end}
      onLostPointerCapture={end}
    />
  );
});

/** The surface of this build; the other build's code is dropped from the bundle as dead code. */
export const SignatureSurface = process.env.TARO_ENV === 'h5' ? H5Surface : WeappSurface;
