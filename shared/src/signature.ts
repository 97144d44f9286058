/** A point of a handwritten signature, in the pad's logical pixels (CSS px in H5, px in WeChat), origin top-left. */
export interface SignaturePoint {
  x: number;
  y: number;
}

/** One stroke: the points from pen (finger, mouse button) down to up, in order. */
export type SignatureStroke = readonly SignaturePoint[];

/** How much ink a signature needs before it is accepted. */
export interface SignatureRule {
  /** Separate strokes (pen lifts): a name in 正楷 has many, a careless scribble has one. */
  minStrokes: number;
  /** Total length of the lines drawn, in logical pixels. */
  minInk: number;
  /** Size of the box around all the ink, in logical pixels: a name, not a dot. */
  minWidth: number;
  minHeight: number;
}

/**
 * The defaults, in the logical pixels of the operator app's pad (full width × 400 rpx, so about
 * 365 × 205 on a 390-wide phone). Two characters of a name written legibly on it stand 40–80 px
 * tall and leave several hundred pixels of ink in six or more strokes, so these refuse only what
 * cannot be a name: one stroke (a tick, a loop, a zigzag), two short lines (150 px is about two
 * and a half widths of a 60 px character), or anything smaller than 40 × 20 px (under 20 px per
 * character is unreadable once printed on the A4 record). A fake is not detected — that takes a
 * person; the rule only makes a signature something a person deliberately wrote.
 */
export const DEFAULT_SIGNATURE_RULE: SignatureRule = { minStrokes: 2, minInk: 150, minWidth: 40, minHeight: 20 };

export type SignatureProblem = 'empty' | 'too_few_strokes' | 'too_small' | 'too_little_ink';

/** What the signer is told for each problem. */
export const SIGNATURE_MESSAGES: Record<SignatureProblem, string> = {
  empty: '请先签名',
  too_few_strokes: '签名过于简单，请用正楷签写完整姓名',
  too_small: '签名太小，请在框内写大一些',
  too_little_ink: '签名过于简单，请用正楷签写完整姓名',
};

export interface SignatureCheck {
  ok: boolean;
  /** The first problem found (null when accepted) and what the signer is told about it. */
  problem: SignatureProblem | null;
  message: string | null;
  /** What was measured, so that a refusal can be explained and logged. */
  measured: { strokes: number; ink: number; width: number; height: number };
}

const finite = (p: SignaturePoint) => Number.isFinite(p.x) && Number.isFinite(p.y);

/**
 * Judges a signature by its strokes: accepted, or refused with the first problem in the order
 * empty → too few strokes → too small → too little ink (so a tiny but complete name is told to
 * write bigger, not that it is too simple). `rule` overrides the defaults one field at a time.
 */
export function checkSignature(strokes: readonly SignatureStroke[], rule: Partial<SignatureRule> = {}): SignatureCheck {
  const r = { ...DEFAULT_SIGNATURE_RULE, ...rule };
  // A broken point (NaN from a bad event) would make every comparison false and let anything pass.
  const drawn = strokes.map((s) => s.filter(finite)).filter((s) => s.length > 0);
  let ink = 0;
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const stroke of drawn) {
    stroke.forEach((p, i) => {
      const prev = stroke[i - 1];
      if (prev) ink += Math.hypot(p.x - prev.x, p.y - prev.y);
      minX = Math.min(minX, p.x);
      maxX = Math.max(maxX, p.x);
      minY = Math.min(minY, p.y);
      maxY = Math.max(maxY, p.y);
    });
  }
  const measured = {
    strokes: drawn.length,
    ink: Math.round(ink),
    width: drawn.length ? Math.round(maxX - minX) : 0,
    height: drawn.length ? Math.round(maxY - minY) : 0,
  };
  const problem: SignatureProblem | null =
    drawn.length === 0
      ? 'empty'
      : drawn.length < r.minStrokes
        ? 'too_few_strokes'
        : maxX - minX < r.minWidth || maxY - minY < r.minHeight
          ? 'too_small'
          : ink < r.minInk
            ? 'too_little_ink'
            : null;
  return { ok: problem === null, problem, message: problem && SIGNATURE_MESSAGES[problem], measured };
}
