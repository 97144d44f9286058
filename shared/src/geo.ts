import distance from '@turf/distance';
import { point } from '@turf/helpers';

/** Great-circle distance in metres between two [lng, lat] points (same coordinate system). */
export function distanceMeters(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  return distance(point([a.lng, a.lat]), point([b.lng, b.lat]), { units: 'meters' });
}

/** A lng/lat box that contains every point within `radiusM` of the centre (for a plain range query). */
export function boundingBox(centre: { lng: number; lat: number }, radiusM: number) {
  const dLat = radiusM / 111_320;
  const dLng = radiusM / (111_320 * Math.max(0.01, Math.cos((centre.lat * Math.PI) / 180)));
  return { minLng: centre.lng - dLng, maxLng: centre.lng + dLng, minLat: centre.lat - dLat, maxLat: centre.lat + dLat };
}
