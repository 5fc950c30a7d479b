/**
 * The operator API's kill-switch contract (`/ops/v1/switches`). The operations console
 * is built against exactly these shapes: fields may be added, never renamed or removed.
 */
import { z } from 'zod';
import { FEATURES } from './features.js';
import type { SwitchOverview, SwitchState } from './service.js';

const STO = 'sto_019ab5c4e2d07c3a9e51f0b2d4c6a8e4';
const AT = '2026-03-02T03:00:00.000Z';

const feature = z.enum(FEATURES).describe('`payments` and `cash_topups` may also be switched for one store');

export const switchSchema = z.object({
  feature,
  storeId: z.string().nullable().describe('`sto_…`; null for the switch that covers every store'),
  storeName: z.string().nullable(),
  off: z.boolean(),
  reason: z.string().nullable(),
  changedBy: z.string().nullable().describe('The operator; null for a switch never touched'),
  changedAt: z.string().nullable(),
}).meta({
  id: 'OpsSwitch',
  examples: [{ feature: 'payments', storeId: STO, storeName: 'Shibuya Dogenzaka', off: true, reason: 'Scanner fault at the store', changedBy: 'operator-token', changedAt: AT }],
});

const changeSchema = switchSchema.extend({ changedBy: z.string(), changedAt: z.string() }).meta({ id: 'OpsSwitchChange' });

export const switchesAnswer = z.object({
  switches: z.array(switchSchema).describe('Each feature\'s global switch, then every store switch ever set'),
  history: z.array(changeSchema).optional().describe('Every change, newest first (up to `historyLimit`)'),
}).meta({
  id: 'OpsSwitches',
  examples: [{
    switches: [
      { feature: 'card_topups', storeId: null, storeName: null, off: true, reason: 'Card testing attack', changedBy: 'operator-token', changedAt: AT },
      { feature: 'cash_topups', storeId: null, storeName: null, off: false, reason: null, changedBy: null, changedAt: null },
      { feature: 'payments', storeId: null, storeName: null, off: false, reason: null, changedBy: null, changedAt: null },
      { feature: 'signups', storeId: null, storeName: null, off: false, reason: null, changedBy: null, changedAt: null },
    ],
    history: [{ feature: 'card_topups', storeId: null, storeName: null, off: true, reason: 'Card testing attack', changedBy: 'operator-token', changedAt: AT }],
  }],
});

export const switchesQuery = z.object({
  historyLimit: z.coerce.number().int().min(0).max(500).default(50).describe('How many changes to list in `history` (0: none)'),
});

export const changeSwitchBody = z.object({
  feature,
  storeId: z.string().max(64).nullable().optional().describe('`sto_…` to switch one store only (payments, cash top-ups)'),
  off: z.boolean(),
  reason: z.string().max(500).optional().describe('Why; required when switching off, recorded with who and when'),
}).strict().meta({ examples: [{ feature: 'payments', storeId: STO, off: true, reason: 'Scanner fault at the store' }] });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const switchView = (s: SwitchState): z.infer<typeof switchSchema> => ({ ...s, changedAt: iso(s.changedAt) });

export const switchesView = (o: SwitchOverview): z.infer<typeof switchesAnswer> => ({
  switches: o.switches.map(switchView),
  history: o.history.map((h) => ({ ...h, changedAt: h.changedAt.toISOString() })),
});
