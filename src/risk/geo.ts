/** Great-circle distance (haversine) for impossible travel; a store's position is good to a few metres, this to 0.5 %. */
const EARTH_KM = 6371;
const rad = (deg: number) => (deg * Math.PI) / 180;

export function kmBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
