import { z } from 'zod';
import { defineRoute } from '../../http/route';
import { AppError } from '../../http/app-error';
import type { AppDeps } from '../../deps';
import { selfCheckUsesUpload } from '../selfchecks/selfcheck.facts';
import { shopsOfMember } from '../members/member.facts';
import { readFile } from 'node:fs/promises';
import { stripMetadata } from './metadata';
import { enforcementUsesUpload } from '../enforcement/enforcement.service';
import { photoVisible, requestMediaCheck } from '../moderation/moderation.service';
import { openUpload, readMultipartFile, regulatorMaySee, storeUpload, usedByShops } from './upload.service';
import { directoryOf } from '../establishments/shop-directory';

export function uploadRoutes(deps: AppDeps) {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/uploads',
      access: 'signed-in',
      status: 201,
      limit: 'upload',
      summary:
        'Upload one photo (multipart field "file"); checked by content; stored by content hash; sent to WeChat\'s content check',
      async handler({ caller, ctx }) {
        if (!ctx.is('multipart/form-data')) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: '请以 multipart/form-data 上传图片' });
        }
        const bytes = await readMultipartFile(ctx.req.headers, ctx.req);
        const stored = await storeUpload(deps.db, deps.config.uploadDir, bytes, caller.userId);
        // Others see the photo once WeChat's verdict (pushed later) says it passed.
        await requestMediaCheck(deps, stored.id, caller.userId);
        return stored;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/uploads/:id',
      access: 'signed-in',
      summary:
        'A stored photo: for its uploader, regulators, and members of the shop whose records (self-checks, evidence, replies, signatures) use it',
      params: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
      async handler({ params, caller, ctx }) {
        const { doc, stream } = await openUpload(deps.db, deps.config.uploadDir, params.id);
        let allowed = doc.uploadedBy.includes(caller.userId);
        if (!allowed && caller.regulator) {
          // A regulator: a record or complaint of their jurisdiction uses it (the directory knows
          // each shop's district); a photo stored before photos named their uses, any regulator.
          const dir = await directoryOf(deps.db);
          allowed =
            regulatorMaySee(doc, caller.regulator.jurisdiction, (s) => dir.get(s)?.est.district ?? null) ?? true;
        }
        if (!allowed && !caller.regulator) {
          // The modules that keep records with photos say whether one of the caller's shops uses it.
          // The photo names the shops whose records use it; one stored before it did is looked for.
          const shops = await shopsOfMember(deps.db, caller.userId);
          allowed =
            shops.length > 0 &&
            (usedByShops(doc, shops) ??
              ((await selfCheckUsesUpload(deps.db, shops, params.id)) ||
                (await enforcementUsesUpload(deps.db, shops, params.id))));
        }
        if (!allowed) {
          stream.destroy();
          throw new AppError('FORBIDDEN', { message: '无权查看该图片' });
        }
        const viewer = {
          regulator: !!caller.regulator,
          uploader: doc.uploadedBy.includes(caller.userId),
        };
        if (!photoVisible(doc.check?.state, viewer)) {
          stream.destroy();
          throw new AppError('FORBIDDEN', {
            message:
              doc.check?.state === 'risky'
                ? '该图片未通过内容安全检查，仅监管部门可见'
                : '该图片正在进行内容安全检查，暂不可见',
          });
        }
        ctx.type = doc.type;
        ctx.set('Cache-Control', 'private, max-age=31536000, immutable');
        if (caller.regulator) return stream; // evidence as taken, metadata and all
        // Everyone else gets the picture without EXIF (GPS location, device) or other metadata.
        stream.destroy();
        return stripMetadata(await readFile(stream.path as string), doc.type);
      },
    }),
  ];
}
