/**
 * A store's location as the CLI takes it: `--lat` and `--lon` in decimal degrees (WGS 84,
 * as a map shows them: `--lat 35.6581 --lon 139.6975`). Both or neither.
 *
 * Strict on purpose: the impossible-travel rule (src/risk/) compares stores by distance,
 * so a typo that still parses (`35,6581`, `1e2`, swapped signs past the range) would hold
 * honest customers or let a raid through. Only plain decimals within range pass; the
 * database's checks (migration 0022) are the last line, not the message.
 */
export interface StoreLocation { latitude: number; longitude: number }

export type LocationOption = { kind: 'none' } | { kind: 'given'; location: StoreLocation } | { kind: 'invalid'; message: string };

const DECIMAL = /^[+-]?\d{1,3}(\.\d{1,10})?$/;

function degrees(name: string, text: string, limit: number): number | string {
  const value = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(value)) return `--${name}: not a decimal number of degrees: ${text} (e.g. 35.6581)`;
  if (Math.abs(value) > limit) return `--${name}: ${text} is outside -${limit}…${limit}`;
  return value;
}

export function locationOption(options: Record<string, string | undefined>): LocationOption {
  const { lat, lon } = options;
  if (lat === undefined && lon === undefined) return { kind: 'none' };
  if (lat === undefined || lon === undefined) return { kind: 'invalid', message: 'give both --lat and --lon, or neither' };
  const latitude = degrees('lat', lat, 90);
  if (typeof latitude === 'string') return { kind: 'invalid', message: latitude };
  const longitude = degrees('lon', lon, 180);
  if (typeof longitude === 'string') return { kind: 'invalid', message: longitude };
  return { kind: 'given', location: { latitude, longitude } };
}
