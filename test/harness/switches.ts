/** Switching features through the operator API in tests (in-process, by inject). */
import type { TestKonpay } from './konpay.js';
import type { Feature } from '../../src/ops/switches/features.js';

export interface OpsAnswer { status: number; json: Record<string, unknown> }

/** `PUT /ops/v1/switches` with the server's operator token (or `token`; null: none). */
export async function putSwitch(
  t: TestKonpay, body: { feature: Feature | string; storeId?: string | null; off: boolean; reason?: string }, token: string | null = t.config.secrets.operatorApiToken!,
): Promise<OpsAnswer> {
  const r = await t.konpay.app.inject({
    method: 'PUT', url: '/ops/v1/switches', payload: body,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: r.statusCode, json: r.json() as Record<string, unknown> };
}

/** Switches and insists it worked. */
export async function setSwitch(t: TestKonpay, feature: Feature, off: boolean, storeId?: string): Promise<void> {
  const r = await putSwitch(t, { feature, off, reason: off ? `test: ${feature} off` : 'test: back on', ...(storeId ? { storeId } : {}) });
  if (r.status !== 200) throw new Error(`switch ${feature} ${off ? 'off' : 'on'}: ${r.status} ${JSON.stringify(r.json)}`);
}

export async function getSwitches(t: TestKonpay, query = ''): Promise<OpsAnswer> {
  const r = await t.konpay.app.inject({ method: 'GET', url: `/ops/v1/switches${query}`, headers: { authorization: `Bearer ${t.config.secrets.operatorApiToken!}` } });
  return { status: r.statusCode, json: r.json() as Record<string, unknown> };
}
