/**
 * `npm run ops -- switches …`: kill switches from the command line (OPS-1), for when the
 * console is out of reach. Running servers obey within 2 seconds (their boards poll).
 * The change is recorded as made by `cli:<operating-system user>`.
 */
import { userInfo } from 'node:os';
import type { Command, CommandArgs, OpsContext } from '../command.js';
import { FEATURES, type Feature } from './features.js';
import { changeSwitch, switchOverview, type SwitchState } from './service.js';

const isFeature = (f: string | undefined): f is Feature => (FEATURES as readonly string[]).includes(f ?? '');

function who(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

const line = (s: Pick<SwitchState, 'feature' | 'storeId' | 'storeName' | 'off' | 'reason' | 'changedBy' | 'changedAt'>) => [
  s.feature.padEnd(12), (s.storeId ? `${s.storeId} (${s.storeName ?? '?'})` : 'all stores').padEnd(20), s.off ? 'OFF' : 'on ',
  s.changedAt ? `  ${s.changedAt.toISOString()} by ${s.changedBy}` : '', s.reason ? `  “${s.reason}”` : '',
].join('  ').trimEnd();

function switchCommand(off: boolean): Command {
  return {
    name: `switches ${off ? 'off' : 'on'}`,
    usage: `<${FEATURES.join('|')}> [--store <store-id>] --reason <why>`,
    summary: off ? 'Switch a feature off, for every store or one (payments, cash_topups)' : 'Switch a feature back on',
    positionals: 1, optional: ['store', 'reason'], selfAudited: true, // changeSwitch appends in its transaction
    async run(ctx: OpsContext, { positionals: [feature], options }: CommandArgs) {
      if (!isFeature(feature)) {
        ctx.err(`unknown feature ${feature}; one of ${FEATURES.join(', ')}`);
        return 2;
      }
      const r = await changeSwitch(ctx, { feature, storeId: options.store, off, reason: options.reason, by: who() });
      switch (r.kind) {
        case 'store_not_found': ctx.err(`no store ${options.store}`); return 1;
        case 'not_store_scoped': ctx.err(`${feature} can only be switched for every store (no --store)`); return 1;
        case 'reason_required': ctx.err('say why with --reason "…" when switching off'); return 1;
        case 'changed':
          ctx.out(line(r.state));
          ctx.out('running servers obey within 2 seconds');
          return 0;
      }
    },
  };
}

export const switchCommands: readonly Command[] = [
  {
    name: 'switches list', usage: '', summary: 'Kill switches: what is off, and the latest changes',
    async run(ctx) {
      const o = await switchOverview(ctx, 20);
      for (const s of o.switches) ctx.out(line(s));
      if (o.history.length) {
        ctx.out('');
        ctx.out('latest changes:');
        for (const h of o.history) ctx.out(`  ${line(h)}`);
      }
      return 0;
    },
  },
  switchCommand(true),
  switchCommand(false),
];
