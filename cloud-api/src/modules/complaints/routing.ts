import { readFileSync } from 'node:fs';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { point } from '@turf/helpers';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

type District = Feature<Polygon | MultiPolygon, { district: string; office: string }>;

const cache = new Map<string, District[]>();

/** District polygons (GeoJSON, one feature per office), read once per file. */
function districts(file: string): District[] {
  let list = cache.get(file);
  if (!list) {
    const fc = JSON.parse(readFileSync(file, 'utf8')) as FeatureCollection;
    list = fc.features.filter(
      (f): f is District =>
        (f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon') &&
        typeof f.properties?.office === 'string' &&
        typeof f.properties?.district === 'string',
    );
    cache.set(file, list);
  }
  return list;
}

/** The office responsible for a location; outside every district → the default office, flagged. */
export function routeToOffice(file: string, defaultOffice: string, at: { lng: number; lat: number }) {
  const hit = districts(file).find((d) => booleanPointInPolygon(point([at.lng, at.lat]), d));
  return hit
    ? { office: hit.properties.office, district: hit.properties.district, outsideDistricts: false }
    : { office: defaultOffice, district: null, outsideDistricts: true };
}
