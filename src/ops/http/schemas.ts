/** The operator API's contracts for merchants, stores and terminals. Secrets appear only in `IssuedTerminalSecret`. */
import { z } from 'zod';
import type { IssuedTerminalSecret, MerchantOverview } from '../../merchants/service.js';

const MER = 'mer_019ab5c4e2d07c3a9e51f0b2d4c6a8e3';
const STO = 'sto_019ab5c4e2d07c3a9e51f0b2d4c6a8e4';
const TRM = 'trm_019ab5c4e2d07c3a9e51f0b2d4c6a8e5';
const AT = '2026-03-02T03:00:00.000Z';

export const merchantParams = z.object({ merchantId: z.string().max(64).describe('`mer_…`') });
export const storeParams = z.object({ storeId: z.string().max(64).describe('`sto_…`') });
export const terminalParams = z.object({ terminalId: z.string().max(64).describe('`trm_…`') });

const name = z.string().trim().min(1).max(200);

export const createMerchantBody = z.object({ name }).strict().meta({ examples: [{ name: 'Konbini Mart' }] });
export const createStoreBody = z.object({
  name,
  // Optional; the risk engine's impossible-travel rule compares the stores a customer pays at.
  location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).strict().optional()
    .describe('Where the store is (WGS 84 degrees), for the risk engine\'s impossible-travel rule'),
}).strict().meta({ examples: [{ name: 'Shibuya Dogenzaka', location: { latitude: 35.6581, longitude: 139.6975 } }] });

export const merchantCreated = z.object({ id: z.string(), name: z.string() })
  .meta({ id: 'OpsMerchantCreated', examples: [{ id: MER, name: 'Konbini Mart' }] });
export const storeCreated = z.object({ id: z.string(), merchantId: z.string(), name: z.string() })
  .meta({ id: 'OpsStoreCreated', examples: [{ id: STO, merchantId: MER, name: 'Shibuya Dogenzaka' }] });

export const terminalSecretSchema = z.object({
  terminalId: z.string(),
  keyId: z.string().describe('Public; sent by the terminal as Konpay-Key-Id. Stable across rotations.'),
  secret: z.string().describe('Shown in this answer only: Konpay keeps it encrypted and cannot show it again.'),
}).meta({
  id: 'OpsTerminalSecret',
  examples: [{ terminalId: TRM, keyId: 'pk_3f9c2a7e5b1d4c6a8e0f2b4d', secret: 'sk_Xq3v9bN2kLm8pR4tW6yZ0aC5dF7gH1jK3lM5nP7qR9s' }],
});

export const statusAnswer = z.object({ id: z.string(), status: z.enum(['active', 'suspended', 'revoked']) })
  .meta({ id: 'OpsStatus', examples: [{ id: TRM, status: 'suspended' }] });

const terminalSummary = z.object({
  id: z.string(), keyId: z.string(), status: z.enum(['active', 'suspended', 'revoked']),
  createdAt: z.string(), rotatedAt: z.string().nullable(), revokedAt: z.string().nullable(),
});

export const merchantOverviewSchema = z.object({
  merchant: z.object({ id: z.string(), name: z.string(), status: z.enum(['active', 'suspended']), createdAt: z.string() }),
  stores: z.array(z.object({
    id: z.string(), name: z.string(), status: z.enum(['active', 'suspended']), createdAt: z.string(), terminals: z.array(terminalSummary),
  })),
}).meta({
  id: 'OpsMerchantOverview',
  examples: [{
    merchant: { id: MER, name: 'Konbini Mart', status: 'active', createdAt: AT },
    stores: [{
      id: STO, name: 'Shibuya Dogenzaka', status: 'active', createdAt: AT,
      terminals: [{ id: TRM, keyId: 'pk_3f9c2a7e5b1d4c6a8e0f2b4d', status: 'active', createdAt: AT, rotatedAt: null, revokedAt: null }],
    }],
  }],
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const terminalSecretView = (t: IssuedTerminalSecret): z.infer<typeof terminalSecretSchema> =>
  ({ terminalId: t.terminalId, keyId: t.keyId, secret: t.secret });

export const overviewView = (o: MerchantOverview): z.infer<typeof merchantOverviewSchema> => ({
  merchant: { ...o.merchant, createdAt: o.merchant.createdAt.toISOString() },
  stores: o.stores.map((s) => ({
    ...s, createdAt: s.createdAt.toISOString(),
    terminals: s.terminals.map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), rotatedAt: iso(t.rotatedAt), revokedAt: iso(t.revokedAt) })),
  })),
});
