/**
 * `npm run ops -- operators add|list|disable`: operator accounts for people (OPS-2).
 *
 * `add` prints the account's set-up once: a generated password and the TOTP `otpauth://`
 * URI (paste it into the authenticator app, or make a QR code of it on the operator's own
 * machine). Run it where only the new operator sees the screen; Konpay cannot show either
 * again. Lost: disable the account and add it again.
 */
import { secretBytes } from '../secrets.js';
import type { Command, OpsContext } from '../ops/command.js';
import type { OperatorAccountDeps } from './deps.js';
import { OPERATOR_ROLES, type OperatorRole } from './repo.js';

/**
 * Loaded when an operator command runs, not when the CLI starts: the password module
 * builds its blocklist of ~49,000 passwords at import and the address checks load phone
 * metadata, which every other command would pay for.
 */
const accounts = () => import('./accounts.js');
async function depsOf(ctx: OpsContext): Promise<OperatorAccountDeps> {
  const { argon2Hasher } = await import('../identity/password.js');
  return {
    pool: ctx.pool, clock: ctx.clock,
    hasher: argon2Hasher(secretBytes(ctx.config.secrets.passwordPepper), ctx.config.identity.argon2),
    encryptionKey: secretBytes(ctx.config.secrets.encryptionKey),
  };
}

const isRole = (r: string): r is OperatorRole => (OPERATOR_ROLES as readonly string[]).includes(r);

export const operatorCommands: readonly Command[] = [
  {
    name: 'operators add', usage: '--email <address> --name <name> --role support|risk|admin', options: ['email', 'name', 'role'],
    summary: 'Add a console operator; prints their password and TOTP set-up once',
    async run(ctx, { options }) {
      const role = options.role!;
      if (!isRole(role)) {
        ctx.err(`--role must be one of ${OPERATOR_ROLES.join(', ')}`);
        return 2;
      }
      if (!options.name!.trim() || options.name!.length > 200) {
        ctx.err('--name must be 1 to 200 characters');
        return 2;
      }
      const r = await (await accounts()).createOperator(await depsOf(ctx), { email: options.email!, name: options.name!, role });
      if (r.kind === 'invalid_email') {
        ctx.err(`not an e-mail address: ${options.email}`);
        return 2;
      }
      if (r.kind === 'exists') {
        ctx.err(`an operator with the address ${options.email} exists`);
        return 1;
      }
      ctx.out(`operator ${r.id} (${r.email}, ${role}) created`);
      ctx.out('');
      ctx.out(`  password   ${r.password}`);
      ctx.out(`  TOTP       ${r.totpUri}`);
      ctx.out('');
      ctx.out('WARNING: both are shown only this once. The operator keeps the password in a password');
      ctx.out('manager and adds the TOTP URI to an authenticator app (every sign-in asks for its code).');
      ctx.out(`Lost: \`operators disable ${r.email}\`, then add the operator again.`);
      return 0;
    },
  },
  {
    name: 'operators list', usage: '', summary: 'List console operators (never their secrets)',
    async run(ctx) {
      for (const o of await (await accounts()).operatorList(await depsOf(ctx))) {
        ctx.out([o.email, o.role, o.disabled_at ? `disabled ${o.disabled_at.toISOString()}` : 'active', o.name].join('\t'));
      }
      return 0;
    },
  },
  {
    name: 'operators disable', usage: '<email>', positionals: 1, summary: 'Disable an operator: their sessions end at once',
    async run(ctx, { positionals: [email] }) {
      if ((await (await accounts()).disableOperatorAccount(await depsOf(ctx), email!)) === 'not_found') {
        ctx.err(`no active operator ${email}`);
        return 1;
      }
      ctx.out(`operator ${email} disabled; their sessions have ended`);
      return 0;
    },
  },
];
