import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Connection } from 'mongoose';
import QRCode from 'qrcode';
import { Resvg } from '@resvg/resvg-js';
import { existsSync } from 'node:fs';
import { GRADE_DISPLAY, PAGES, QrPayloadSchema, fitsWxacodeScene, type CreditGrade } from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import type { WeChatClient } from '../../integrations/wechat.client';
import type { Config } from '../../config';
import type { EstablishmentDoc } from '../establishments/establishment.facts';
import { changeQr, establishmentByCode } from '../establishments/establishment.service';

/** The page of the public mini-program that opens a shop from a code (wxacode and printed links). */
export const SHOP_PAGE = PAGES.public.shop;

function signature(secret: string, code: string, version: number): string {
  // 72 bits of HMAC-SHA256: forging one needs the secret; the payload still fits a 32-char scene.
  return createHmac('sha256', secret).update(`ygsa-qr:${code}.${version}`).digest('base64url').slice(0, 12);
}

/** "CODE.version.signature" — what the printed QR and the wxacode scene carry. */
export function signPayload(secret: string, code: string, version: number): string {
  return `${code}.${version}.${signature(secret, code, version)}`;
}

/** Checks a scanned payload's form and signature; says nothing yet of whether it is still in force. */
export function verifyPayload(secret: string, payload: string): { code: string; version: number } {
  const parsed = QrPayloadSchema.safeParse(payload);
  if (!parsed.success) throw new AppError('QR_INVALID');
  const [code, versionText, sig] = parsed.data.split('.') as [string, string, string];
  const version = Number(versionText);
  const expected = Buffer.from(signature(secret, code, version));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new AppError('QR_INVALID');
  return { code, version };
}

/** The shop a scanned payload stands for, if the code is genuine and still in force. */
export async function resolvePayload(db: Connection, secret: string, payload: string): Promise<EstablishmentDoc> {
  const { code, version } = verifyPayload(secret, payload);
  const est = await establishmentByCode(db, code);
  if (!est) throw new AppError('NOT_FOUND', { message: '门店不存在或已注销' });
  if (est.qr.revoked)
    throw new AppError('QR_REVOKED', { message: '该门店的二维码已停用，请以店内最新张贴的二维码为准' });
  if (est.qr.version !== version)
    throw new AppError('QR_REVOKED', { message: '该二维码已更换，请扫描店内最新张贴的二维码' });
  return est;
}

export function currentPayload(secret: string, est: Pick<EstablishmentDoc, 'code' | 'qr'>): string {
  return signPayload(secret, est.code, est.qr.version);
}

/** What the printed QR encodes: the public app's address with the payload (WeChat opens it as the mini-program). */
export function qrContent(config: Config['qr'], est: Pick<EstablishmentDoc, 'code' | 'qr'>): string {
  return `${config.publicAppUrl}?c=${currentPayload(config.secret, est)}`;
}

/** A new version: every code printed before stops working (a poster was stolen or misused). */
export const rotateQr = (db: Connection, id: string) => changeQr(db, id, { rotate: true });

export const setQrRevoked = (db: Connection, id: string, revoked: boolean) => changeQr(db, id, { revoked });

const COLOURS = { green: '#1a7f37', yellow: '#d4a72c', red: '#cf222e', grey: '#6e7781' } as const;
const escapeXml = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);

function gradeText(grade: CreditGrade): string {
  return grade.grade ? `${grade.grade} 级 · ${GRADE_DISPLAY[grade.grade].label}` : grade.label;
}

/** The printable poster: QR, shop name, licence number and the grade in its colour (A4 proportions). */
export function posterSvg(config: Config['qr'], est: EstablishmentDoc): string {
  const qr = QRCode.create(qrContent(config, est), { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const qrSize = 1000;
  const cell = qrSize / (n + 8); // quiet zone of 4 modules each side
  let path = '';
  for (let y = 0; y < n; y += 1) {
    for (let x = 0; x < n; x += 1) {
      if (qr.modules.get(x, y))
        path += `M${((x + 4) * cell).toFixed(2)} ${((y + 4) * cell).toFixed(2)}h${cell.toFixed(2)}v${cell.toFixed(2)}h-${cell.toFixed(2)}z`;
    }
  }
  const colour = COLOURS[est.grade.colour];
  const W = 1240;
  const H = 1754;
  const font = 'font-family="Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"';
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
  <rect width="${W}" height="${H}" fill="#ffffff"/>
  <rect width="${W}" height="220" fill="${colour}"/>
  <text x="${W / 2}" y="140" ${font} font-size="88" font-weight="700" fill="#ffffff" text-anchor="middle">阳光食安 · 扫码看后厨</text>
  <text x="${W / 2}" y="340" ${font} font-size="72" font-weight="700" fill="#1f2328" text-anchor="middle">${escapeXml(est.name)}</text>
  <text x="${W / 2}" y="420" ${font} font-size="40" fill="#57606a" text-anchor="middle">${escapeXml(`许可证编号：${est.licence.number}`)}</text>
  <g transform="translate(${(W - qrSize) / 2} 470)"><rect width="${qrSize}" height="${qrSize}" fill="#ffffff"/><path d="${path}" fill="#000000"/></g>
  <rect x="220" y="1510" width="${W - 440}" height="140" rx="70" fill="${colour}"/>
  <text x="${W / 2}" y="1602" ${font} font-size="64" font-weight="700" fill="#ffffff" text-anchor="middle">${escapeXml(`信用等级：${gradeText(est.grade)}`)}</text>
  <text x="${W / 2}" y="1720" ${font} font-size="32" fill="#57606a" text-anchor="middle">微信扫一扫，查看等级、检查记录和后厨直播；可在线投诉举报</text>
</svg>
`;
}

export function posterPng(config: Config['qr'], est: EstablishmentDoc): Buffer {
  const fontFiles = existsSync(config.posterFontFile) ? [config.posterFontFile] : [];
  const resvg = new Resvg(posterSvg(config, est), {
    font: { fontFiles, loadSystemFonts: true, defaultFontFamily: 'Noto Sans CJK SC' },
    fitTo: { mode: 'width', value: 1240 },
  });
  return Buffer.from(resvg.render().asPng());
}

export async function wxacode(wechat: WeChatClient, config: Config['qr'], est: EstablishmentDoc): Promise<Buffer> {
  const scene = currentPayload(config.secret, est);
  // The payload is designed to fit; a code WeChat would refuse must not be asked for.
  if (!fitsWxacodeScene(scene)) throw new AppError('INTERNAL', { cause: new Error(`scene does not fit: ${scene}`) });
  return wechat.getUnlimitedWxacode('public', {
    scene,
    page: SHOP_PAGE,
    envVersion: config.wxacodeEnv,
  });
}
