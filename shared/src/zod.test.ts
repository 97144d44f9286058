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

describe('field errors as sentences', () => {
  const messages = (schema: z.ZodType, value: unknown) =>
    (schema.safeParse(value).error?.issues ?? []).map((i) => [i.path.join('.'), i.message]);

  it('name the field in words and say what is wrong', () => {
    const schema = z
      .object({
        text: z.string().min(2).max(5),
        photos: z.array(z.string()).max(1),
        category: z.enum(['a', 'b']),
        phone: z.string().regex(/^1\d{10}$/),
        name: z.string(),
        note: z.string().min(1),
      })
      .strict();
    expect(messages(schema, { text: 'x', photos: ['a', 'b'], category: 'z', phone: '12', note: '', extra: 1 })).toEqual(
      [
        ['text', '内容至少 2 个字'],
        ['photos', '照片最多 1 项'],
        ['category', '请选择有效的问题类别'],
        ['phone', '手机号格式不正确'],
        ['name', '请填写姓名'],
        ['note', '请填写备注'],
        ['', '不认识的内容：extra'],
      ],
    );
  });

  it('keep a message a schema gives, and call an unknown field 该项', () => {
    expect(messages(z.object({ phone: z.string().min(11, '请填写 11 位手机号') }), { phone: '1' })).toEqual([
      ['phone', '请填写 11 位手机号'],
    ]);
    expect(messages(z.object({ zzz: z.string().max(2) }), { zzz: 'abc' })).toEqual([['zzz', '该项不超过 2 个字']]);
  });

  it('name nested fields by their own name', () => {
    expect(
      messages(z.object({ items: z.array(z.object({ note: z.string().max(1) })) }), { items: [{ note: 'ab' }] }),
    ).toEqual([['items.0.note', '备注不超过 1 个字']]);
  });
});
