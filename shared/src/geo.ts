import distance from '@turf/distance';
import { point } from '@turf/helpers';

/** Great-circle distance in metres between two [lng, lat] points (same coordinate system). */
export function distanceMeters(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  return distance(point([a.lng, a.lat]), point([b.lng, b.lat]), { units: 'meters' });
}
