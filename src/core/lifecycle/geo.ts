/** A point on the earth, degrees. */
export interface Coordinates {
  lat: number;
  lon: number;
}

const GEO_URI = /^geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)(?:[,;].*)?$/i;

/**
 * Where a read point is: a `geo:` URI (RFC 5870, which EPCIS 2.0 allows as a location) carries
 * its own coordinates; any other identifier (an SGLN, a GLN Digital Link) is looked up in the
 * consortium's list of known sites. Undefined when neither says.
 */
export function coordinatesOf(location: string, sites: Readonly<Record<string, Coordinates>>): Coordinates | undefined {
  const m = GEO_URI.exec(location);
  if (m) {
    const lat = Number(m[1]);
    const lon = Number(m[2]);
    return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : undefined;
  }
  return Object.hasOwn(sites, location) ? sites[location] : undefined;
}

/** Great-circle distance in kilometres (haversine, mean earth radius). */
export function distanceKm(a: Coordinates, b: Coordinates): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}
