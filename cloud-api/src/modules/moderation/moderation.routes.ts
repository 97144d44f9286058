import { readFile } from 'node:fs/promises';
import getRawBody from 'raw-body';
import { z } from 'zod';
import { MiniAppSchema } from '@ygsa/shared';
import type { AppDeps } from '../../deps';
import { AppError } from '../../http/app-error';
import { defineRoute } from '../../http/route';
import { stripMetadata } from '../uploads/metadata';
import { openUpload } from '../uploads/upload.service';
import { applyMediaVerdict, pushSignatureValid, verifyMediaCheckUrl, type PushEvent } from './moderation.service';

const PushQuery = z
  .object({
    signature: z.string().max(64).optional(),
    timestamp: z
      .string()
      .regex(/^\d{1,12}$/)
      .optional(),
    nonce: z.string().max(64).optional(),
    echostr: z.string().max(256).optional(),
    openid: z.string().max(64).optional(),
    encrypt_type: z.string().max(16).optional(),
    msg_signature: z.string().max(64).optional(),
  })
  .strict();

/** Pushes older or newer than this are refused (a replayed request). */
const PUSH_WINDOW_S = 600;

export function moderationRoutes(deps: AppDeps) {
  const signed = (q: z.infer<typeof PushQuery>) => {
    if (!pushSignatureValid(deps.config.wechat.pushToken, q))
      throw new AppError('UNAUTHENTICATED', { message: '消息推送签名无效' });
    if (Math.abs(Number(q.timestamp) - Date.now() / 1000) > PUSH_WINDOW_S)
      throw new AppError('UNAUTHENTICATED', { message: '消息推送已过期' });
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/wechat/push/:app',
      access: 'public',
      summary: "WeChat's message-push URL check: echoes echostr when the signature is WeChat's",
      params: z.object({ app: MiniAppSchema }).strict(),
      query: PushQuery,
      handler({ query, ctx }) {
        signed(query);
        ctx.type = 'text/plain';
        return query.echostr ?? '';
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/wechat/push/:app',
      access: 'public',
      summary: 'WeChat message push (JSON mode): mediaCheckAsync verdicts; signed; repeats change nothing',
      params: z.object({ app: MiniAppSchema }).strict(),
      query: PushQuery,
      async handler({ query, ctx }) {
        signed(query);
        if (query.encrypt_type && query.encrypt_type !== 'raw')
          throw new AppError('VALIDATION_FAILED', { message: '消息推送请使用明文模式（JSON）' });
        // JSON bodies are parsed by the body parser; WeChat may also send JSON as text/plain.
        const request = ctx.request as { body?: unknown; rawBody?: string };
        let event = request.body as PushEvent | undefined;
        if (request.rawBody === undefined) {
          const raw = await getRawBody(ctx.req, { limit: '64kb', encoding: 'utf-8' });
          try {
            event = JSON.parse(raw) as PushEvent;
          } catch {
            throw new AppError('BAD_JSON', { message: '消息推送须为 JSON 格式' });
          }
        }
        await applyMediaVerdict(deps, event ?? {});
        ctx.type = 'text/plain';
        // WeChat stops retrying on "success".
        return 'success';
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/media-check/:id',
      access: 'public',
      summary: 'A photo for WeChat to check (signed, expiring address; metadata removed)',
      params: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
      query: z.object({ e: z.coerce.number().int().positive(), s: z.string().regex(/^[\w-]{20,64}$/) }).strict(),
      async handler({ params, query, ctx }) {
        if (!verifyMediaCheckUrl(deps.config, params.id, query.e, query.s))
          throw new AppError('FORBIDDEN', { message: '地址无效或已过期' });
        const { doc, stream } = await openUpload(deps.db, deps.config.uploadDir, params.id);
        stream.destroy();
        ctx.type = doc.type;
        ctx.set('Cache-Control', 'no-store');
        return stripMetadata(await readFile(stream.path as string), doc.type);
      },
    }),
  ];
}
