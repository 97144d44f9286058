import { ObjectIdSchema } from '@ygsa/shared';
import { z } from 'zod';
import { defineRoute } from '../../http/route';
import { INSPECTORS, scopes } from '../regulators/scopes';
import type { AppDeps } from '../../deps';
import { findEstablishment, toView } from '../establishments/establishment.service';
import { currentPayload, posterPng, posterSvg, qrContent, rotateQr, setQrRevoked, wxacode } from './qr.service';

const IdParams = z.object({ id: ObjectIdSchema }).strict();
const REG = ['regulator'] as const;

export function qrRoutes(deps: AppDeps) {
  const scope = scopes(deps.db);
  const base = '/api/v1/regulator/establishments/:id/qr';
  const qr = deps.config.qr;
  return [
    defineRoute({
      method: 'GET',
      path: base,
      access: REG,
      scope: scope.shop(),
      summary: "The shop's current QR payload and what its printed code encodes",
      params: IdParams,
      async handler({ params }) {
        const est = await findEstablishment(deps.db, params.id);
        return {
          payload: currentPayload(qr.secret, est),
          content: qrContent(qr, est),
          version: est.qr.version,
          revoked: est.qr.revoked,
        };
      },
    }),
    defineRoute({
      method: 'POST',
      path: `${base}/rotate`,
      access: REG,
      scope: scope.shop(INSPECTORS),
      summary: 'Issue a new code version; every earlier printed code stops working',
      params: IdParams,
      handler: async ({ params }) => toView(await rotateQr(deps.db, params.id)),
    }),
    defineRoute({
      method: 'POST',
      path: `${base}/revoke`,
      access: REG,
      scope: scope.shop(INSPECTORS),
      summary: "Revoke the shop's code (scans show it is no longer valid)",
      params: IdParams,
      handler: async ({ params }) => toView(await setQrRevoked(deps.db, params.id, true)),
    }),
    defineRoute({
      method: 'POST',
      path: `${base}/restore`,
      access: REG,
      scope: scope.shop(INSPECTORS),
      summary: 'Undo a revocation',
      params: IdParams,
      handler: async ({ params }) => toView(await setQrRevoked(deps.db, params.id, false)),
    }),
    defineRoute({
      method: 'GET',
      path: `${base}/poster.svg`,
      access: REG,
      scope: scope.shop(),
      summary: 'Printable poster (SVG): QR, name, licence number, grade colour',
      params: IdParams,
      async handler({ params, ctx }) {
        ctx.type = 'image/svg+xml';
        return posterSvg(qr, await findEstablishment(deps.db, params.id));
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${base}/poster.png`,
      access: REG,
      scope: scope.shop(),
      summary: 'Printable poster (PNG)',
      params: IdParams,
      async handler({ params, ctx }) {
        ctx.type = 'image/png';
        return posterPng(qr, await findEstablishment(deps.db, params.id));
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${base}/wxacode.png`,
      access: REG,
      scope: scope.shop(),
      summary: 'Mini-program code (wxacode.getUnlimited) whose scene carries the signed payload',
      params: IdParams,
      async handler({ params, ctx }) {
        const image = await wxacode(deps.wechat, qr, await findEstablishment(deps.db, params.id));
        ctx.type = image[0] === 0xff ? 'image/jpeg' : 'image/png';
        return image;
      },
    }),
  ];
}
