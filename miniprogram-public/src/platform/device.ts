import Taro from '@tarojs/taro';
import gcoord from 'gcoord';
import { payloadFromScan } from '@ygsa/shared';

export interface Position {
  lng: number;
  lat: number;
}

/** Whether this build can open the camera to scan (WeChat can; the H5 dev build cannot). */
export const canScan = process.env.TARO_ENV !== 'h5';

/** Scans a shop's code and returns its payload, or undefined when what was scanned is not ours. */
export async function scanShopCode(): Promise<string | undefined> {
  const res = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] });
  // A wxacode gives its page path with the scene; a printed QR gives the URL with ?c=.
  return payloadFromScan(res.path ? decodeURIComponent(res.path.replace(/^.*scene=/, '')) : res.result);
}

/**
 * The payload a launch carries: a wxacode's scene, a printed QR's link (q), or in H5 the ?c= of
 * the address, which plays the role of the scan.
 */
export function launchPayload(): string | undefined {
  if (process.env.TARO_ENV === 'h5') {
    const search = new URLSearchParams(window.location.search);
    const c = search.get('c');
    return c ? payloadFromScan(c) : undefined;
  }
  const query = (Taro.getLaunchOptionsSync().query ?? {}) as Record<string, string | undefined>;
  const raw = query.scene ?? query.q ?? query.c;
  return raw ? payloadFromScan(decodeURIComponent(raw)) : undefined;
}

/**
 * The phone's position in GCJ-02 (the system our shops' coordinates use). WeChat gives GCJ-02;
 * a browser gives WGS-84, converted here. H5 tests may fix it with ?loc=lng,lat in the address.
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
