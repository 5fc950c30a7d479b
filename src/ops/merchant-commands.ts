/** Operator commands for merchants, stores and terminals (src/merchants/). */
import { secretBytes } from '../secrets.js';
import {
  createMerchant, createStore, createTerminal, resumeMerchant, resumeStore, resumeTerminal, revokeTerminal,
  rotateTerminalSecret, setStoreLocation, suspendMerchant, suspendStore, suspendTerminal, type IssuedTerminalSecret, type MerchantDeps,
} from '../merchants/service.js';
import type { Command, OpsContext } from './command.js';
import { locationOption } from './store-location.js';

const depsOf = (ctx: OpsContext): MerchantDeps => ({ pool: ctx.pool, clock: ctx.clock, encryptionKey: secretBytes(ctx.config.secrets.encryptionKey) });

/** The one moment a secret is shown; printed to standard output only, never logged. */
function showSecret(ctx: OpsContext, t: IssuedTerminalSecret): void {
  ctx.out(`  terminal       ${t.terminalId}`);
  ctx.out(`  Konpay-Key-Id  ${t.keyId}`);
  ctx.out(`  secret         ${t.secret}`);
  ctx.out('');
  ctx.out('WARNING: the secret is shown only this once. Enter it in the terminal now;');
  ctx.out(`Konpay keeps it encrypted and cannot show it again. Lost: \`terminal rotate ${t.terminalId}\`.`);
}

const notFound = (ctx: OpsContext, what: string, id: string) => {
  ctx.err(`no ${what} ${id}`);
  return 1;
};

const usage = (ctx: OpsContext, message: string) => {
  ctx.err(message);
  return 2;
};

/** suspend/resume commands share their shape. */
function statusCommand(noun: 'store' | 'merchant' | 'terminal', verb: 'suspend' | 'resume', act: (d: MerchantDeps, id: string) => Promise<{ kind: string }>): Command {
  return {
    name: `${noun} ${verb}`, usage: `<${noun}-id>`, positionals: 1,
    summary: verb === 'suspend' ? `Refuse every POS request from this ${noun} until resumed` : `Accept POS requests from this ${noun} again`,
    async run(ctx, { positionals: [id] }) {
      const r = await act(depsOf(ctx), id!);
      if (r.kind === 'not_found') return notFound(ctx, noun, id!);
      if (r.kind === 'revoked') {
        ctx.err(`terminal ${id} is revoked; revocation is final`);
        return 1;
      }
      ctx.out(`${noun} ${id} ${verb === 'suspend' ? 'suspended' : 'resumed'}`);
      return 0;
    },
  };
}

export const merchantCommands: readonly Command[] = [
  {
    name: 'merchant create', usage: '--name <name>', options: ['name'], summary: 'Register a merchant',
    async run(ctx, { options }) {
      const r = await createMerchant(depsOf(ctx), { name: options.name! });
      ctx.out(`merchant ${r.id} created`);
      return 0;
    },
  },
  {
    name: 'store create', usage: '--merchant <merchant-id> --name <name> [--lat <degrees> --lon <degrees>]', options: ['merchant', 'name'], optional: ['lat', 'lon'],
    summary: 'Register a store of a merchant, optionally where it is (for the impossible-travel rule)',
    async run(ctx, { options }) {
      const where = locationOption(options);
      if (where.kind === 'invalid') return usage(ctx, where.message);
      const r = await createStore(depsOf(ctx), { merchantId: options.merchant!, name: options.name!, location: where.kind === 'given' ? where.location : undefined });
      if (r.kind === 'not_found') return notFound(ctx, 'merchant', options.merchant!);
      ctx.out(`store ${r.id} created`);
      return 0;
    },
  },
  {
    // Negative degrees need the `=` form (`--lon=-73.9857`): a bare `-73.9857` reads as an option.
    name: 'store set-location', usage: '<store-id> --lat <degrees> --lon <degrees>', positionals: 1, options: ['lat', 'lon'],
    summary: 'Set where a store is (decimal degrees; west and south negative, as --lon=-73.98)',
    async run(ctx, { options, positionals: [id] }) {
      const where = locationOption(options);
      if (where.kind !== 'given') return usage(ctx, where.kind === 'invalid' ? where.message : 'give --lat and --lon');
      const r = await setStoreLocation(depsOf(ctx), id!, where.location);
      if (r.kind === 'not_found') return notFound(ctx, 'store', id!);
      ctx.out(`store ${id} located at ${where.location.latitude}, ${where.location.longitude}`);
      return 0;
    },
  },
  {
    name: 'terminal create', usage: '--store <store-id>', options: ['store'], summary: 'Register a POS terminal; prints its key id and secret once',
    async run(ctx, { options }) {
      const r = await createTerminal(depsOf(ctx), { storeId: options.store! });
      if (r.kind === 'not_found') return notFound(ctx, 'store', options.store!);
      ctx.out(`terminal created for store ${options.store}`);
      showSecret(ctx, r);
      return 0;
    },
  },
  {
    name: 'terminal rotate', usage: '<terminal-id>', positionals: 1, summary: 'Give a terminal a new secret; the old one stops working at once',
    async run(ctx, { positionals: [id] }) {
      const r = await rotateTerminalSecret(depsOf(ctx), id!);
      if (r.kind === 'not_found') return notFound(ctx, 'terminal', id!);
      if (r.kind === 'revoked') {
        ctx.err(`terminal ${id} is revoked; create a new one`);
        return 1;
      }
      ctx.out('terminal secret rotated; the old secret no longer works');
      showSecret(ctx, r);
      return 0;
    },
  },
  {
    name: 'terminal revoke', usage: '<terminal-id>', positionals: 1, summary: 'Revoke a terminal for good',
    async run(ctx, { positionals: [id] }) {
      const r = await revokeTerminal(depsOf(ctx), id!);
      if (r.kind === 'not_found') return notFound(ctx, 'terminal', id!);
      ctx.out(`terminal ${id} revoked`);
      return 0;
    },
  },
  statusCommand('terminal', 'suspend', suspendTerminal),
  statusCommand('terminal', 'resume', resumeTerminal),
  statusCommand('store', 'suspend', suspendStore),
  statusCommand('store', 'resume', resumeStore),
  statusCommand('merchant', 'suspend', suspendMerchant),
  statusCommand('merchant', 'resume', resumeMerchant),
];
