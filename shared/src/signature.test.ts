import { DEFAULT_SIGNATURE_RULE, checkSignature, type SignatureStroke } from './signature';

/** A straight stroke from (x1, y1) to (x2, y2), sampled every few pixels as a pad records it. */
const line = (x1: number, y1: number, x2: number, y2: number): SignatureStroke => {
  const n = Math.max(1, Math.ceil(Math.hypot(x2 - x1, y2 - y1) / 4));
  return Array.from({ length: n + 1 }, (_, i) => ({ x: x1 + ((x2 - x1) * i) / n, y: y1 + ((y2 - y1) * i) / n }));
};
const dot = (x: number, y: number): SignatureStroke => [{ x, y }];

/** 王 written 60 px tall: three across and one down (240 px of ink). */
const WANG = [line(20, 20, 80, 20), line(25, 50, 75, 50), line(15, 80, 85, 80), line(50, 20, 50, 80)];
/** 王 written 12 px tall: complete, but unreadable once printed. */
const TINY_WANG = [line(10, 10, 22, 10), line(11, 16, 21, 16), line(9, 22, 23, 22), line(16, 10, 16, 22)];
/** One continuous zigzag across the pad: plenty of ink and size, no pen lift. */
const ZIGZAG = [[0, 1, 2, 3, 4, 5, 6].map((i) => ({ x: 20 + i * 40, y: i % 2 ? 120 : 30 }))];

const SIMPLE = '签名过于简单，请用正楷签写完整姓名';
const SMALL = '签名太小，请在框内写大一些';

describe('a handwritten signature', () => {
  it.each<[string, boolean, string | null, SignatureStroke[]]>([
    ['nothing drawn', false, '请先签名', []],
    ['strokes without points (a cancelled touch)', false, '请先签名', [[], []]],
    ['one long zigzag', false, SIMPLE, ZIGZAG],
    ['one tap', false, SIMPLE, [dot(50, 50)]],
    ['two taps far apart', false, SIMPLE, [dot(10, 10), dot(200, 100)]],
    ['二: two short lines (120 px of ink)', false, SIMPLE, [line(20, 20, 80, 20), line(20, 45, 80, 45)]],
    ['a tiny but complete 王', false, SMALL, TINY_WANG],
    ['two long lines on one row (no height)', false, SMALL, [line(20, 50, 200, 50), line(210, 55, 330, 55)]],
    ['王 at a readable size', true, null, WANG],
    ['王 with a tap for a dot (玉)', true, null, [...WANG, dot(60, 65)]],
    [
      '二 with a broken point (NaN must not let it pass)',
      false,
      SIMPLE,
      [line(20, 20, 80, 20), [...line(20, 45, 80, 45), { x: NaN, y: 3 }]],
    ],
    ['one tap and a stroke of broken points', false, SIMPLE, [dot(50, 50), [{ x: Infinity, y: NaN }]]],
  ])('%s → ok: %s, %s', (_, ok, message, strokes) => {
    const verdict = checkSignature(strokes);
    expect({ ok: verdict.ok, message: verdict.message }).toEqual({ ok, message });
  });

  it('measures what it judged, so a refusal can be explained', () => {
    expect(checkSignature(WANG).measured).toEqual({ strokes: 4, ink: 240, width: 70, height: 60 });
    expect(checkSignature(ZIGZAG).measured).toMatchObject({ strokes: 1, width: 240, height: 90 });
  });

  it('accepts exactly the minimums and refuses one pixel less of width, height or ink', () => {
    expect(DEFAULT_SIGNATURE_RULE).toEqual({ minStrokes: 2, minInk: 150, minWidth: 40, minHeight: 20 });
    // Two strokes filling a 40 × 20 box with 80 + 70 = 150 px of ink.
    const at = (w: number, h: number, tail: number): SignatureStroke[] => [
      [
        { x: 0, y: 0 },
        { x: w, y: 0 },
        { x: 0, y: 0 },
      ],
      [
        { x: 0, y: 0 },
        { x: 0, y: h },
        { x: w, y: h },
        { x: w, y: h - tail },
      ],
    ];
    expect(checkSignature(at(40, 20, 10))).toMatchObject({ ok: true, measured: { ink: 150, width: 40, height: 20 } });
    expect(checkSignature(at(39, 20, 14)).problem).toBe('too_small');
    expect(checkSignature(at(40, 19, 11)).problem).toBe('too_small');
    expect(checkSignature(at(40, 20, 9))).toMatchObject({ problem: 'too_little_ink', measured: { ink: 149 } });
  });

  it('takes overrides one field at a time, keeping the other defaults', () => {
    expect(checkSignature(ZIGZAG, { minStrokes: 1 }).ok).toBe(true);
    expect(checkSignature(WANG, { minInk: 500 })).toMatchObject({ ok: false, problem: 'too_little_ink' });
    expect(checkSignature(TINY_WANG, { minWidth: 10, minHeight: 10, minInk: 40 }).ok).toBe(true);
  });
});
