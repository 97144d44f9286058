import { WeChatLoginRequestSchema } from './auth';
import { z } from './zod';

describe('zod as configured for WeChat', () => {
  it('never constructs functions from strings (WeChat forbids new Function)', () => {
    const original = globalThis.Function;
    const calls: unknown[] = [];
    // Any `new Function(...)` or `Function(...)` during parsing is recorded and refused, as in WeChat.
    globalThis.Function = new Proxy(original, {
      construct(_target, args) {
        calls.push(args);
        throw new EvalError('new Function is not allowed');
      },
      apply(_target, _this, args) {
        calls.push(args);
        throw new EvalError('Function() is not allowed');
      },
    });
    try {
      const schema = z.object({ a: z.string(), b: z.object({ c: z.number() }) });
      for (let i = 0; i < 3; i += 1) expect(schema.parse({ a: 'x', b: { c: i } })).toEqual({ a: 'x', b: { c: i } });
      expect(WeChatLoginRequestSchema.parse({ code: 'abc', app: 'public' })).toEqual({ code: 'abc', app: 'public' });
    } finally {
      globalThis.Function = original;
    }
    expect(calls).toEqual([]);
  });

  it('reports problems in Chinese', () => {
    const result = z.object({ n: z.number() }).safeParse({ n: 'x' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/[\u4e00-\u9fa5]/);
  });
});
