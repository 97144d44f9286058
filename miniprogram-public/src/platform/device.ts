import Taro from '@tarojs/taro';
import gcoord from 'gcoord';
import { shopEntryFromScan, type ShopEntry } from '@ygsa/shared';

export interface Position {
  lng: number;
  lat: number;
}

/** Whether this build can open the camera to scan (WeChat can; the H5 dev build cannot). */
export const canScan = process.env.TARO_ENV !== 'h5';

/**
 * Scans a shop's code: the round 小程序码 on posters (wxCode) and printed QR codes (qrCode). What
 * names a shop is decided by the same entry function the shop page uses.
 */
export async function scanShopCode(): Promise<ShopEntry> {
  // WeChat documents 'wxCode' for the 小程序码; Taro's type list predates it and passes it through.
  const scanType = ['wxCode', 'qrCode'] as unknown as (keyof Taro.scanCode.ScanType)[];
  const res = await Taro.scanCode({ onlyFromCamera: false, scanType });
  return shopEntryFromScan(res);
}

/**
 * The phone's position in GCJ-02 (the system our shops' coordinates use). WeChat gives GCJ-02;
 * a browser gives WGS-84, converted here. H5 tests may fix it with ?loc=lng,lat in the address (before its # route).
 */
export async function currentPosition(): Promise<Position> {
  if (process.env.TARO_ENV === 'h5') {
    const fixed = new URLSearchParams(window.location.search).get('loc') ?? sessionStorage.getItem('ygsa.loc');
    if (fixed && /^\d+(\.\d+)?,\d+(\.\d+)?$/.test(fixed)) {
      sessionStorage.setItem('ygsa.loc', fixed);
      const [lng, lat] = fixed.split(',').map(Number) as [number, number];
      return { lng, lat };
    }
    const pos = await new Promise<GeolocationPosition>((resolve, reject) =>
      navigator.geolocation.getCurrentPosition(resolve, reject, { timeout: 10_000, maximumAge: 60_000 }),
    );
    const [lng, lat] = gcoord.transform([pos.coords.longitude, pos.coords.latitude], gcoord.WGS84, gcoord.GCJ02) as [
      number,
      number,
    ];
    return { lng, lat };
  }
  const res = await Taro.getLocation({ type: 'gcj02' });
  return { lng: res.longitude, lat: res.latitude };
}
