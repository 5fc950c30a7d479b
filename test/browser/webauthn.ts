/**
 * Passkeys in a real browser without a person: Chromium's virtual authenticator (the
 * DevTools protocol's WebAuthn domain) stands in for the phone's platform authenticator,
 * with user verification passed and presence simulated, so navigator.credentials.create()
 * and get() run for real against the server's @simplewebauthn/server checks. One
 * authenticator belongs to one page (one "phone"): a page without one has no passkey.
 * WebAuthn needs a domain, not an IP address: start the world with
 * `startWebWorld({ hostname: 'localhost' })`.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { expect } from 'vitest';

export interface VirtualAuthenticator {
  cdp: CDPSession;
  authenticatorId: string;
  /** The passkeys this authenticator holds (resident credentials), as the protocol lists them. */
  credentials(): Promise<{ credentialId: string; isResidentCredential: boolean; rpId?: string; signCount: number }[]>;
}

/** Gives the page a platform authenticator (internal transport, resident keys, user verification) that answers at once. */
export async function addVirtualAuthenticator(context: BrowserContext, page: Page): Promise<VirtualAuthenticator> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return {
    cdp, authenticatorId,
    async credentials() {
      return (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
    },
  };
}

/**
 * Adds a passkey through the security screen as the customer would, English screens. The
 * page must be signed in; if the API asks to re-authenticate first (the sign-in is older
 * than 5 minutes), `password` is typed into the form the screen shows in place.
 */
export async function enrolPasskey(page: Page, opts: { password?: string } = {}): Promise<void> {
  await page.goto('/app/security');
  const list = page.getByTestId('passkey');
  const before = await page.getByRole('heading', { name: 'Passkeys' }).waitFor().then(() => list.count());
  await page.getByRole('button', { name: 'Add a passkey on this device' }).click();
  const added = page.getByText('Passkey added.');
  const asked = page.getByLabel('Your current password');
  // A refusal fills an alert region: fail with it, rather than only time out.
  const refusal = page.locator('.alert:not(.empty)');
  await expect.poll(async () => (await added.isVisible()) || (await asked.isVisible()) || (await refusal.allTextContents()).join(' '), { timeout: 15_000 }).toBe(true);
  if (await asked.isVisible()) {
    if (!opts.password) throw new Error('the security screen asked for the password: pass it to enrolPasskey');
    await asked.fill(opts.password);
    await page.getByRole('button', { name: 'Confirm and continue' }).click();
    await added.waitFor();
  }
  await expect.poll(() => list.count(), { timeout: 10_000 }).toBe(before + 1);
}

/**
 * Copies every passkey of one virtual authenticator into another, private keys and
 * counters included: a passkey synced to the customer's other phone (iCloud Keychain,
 * Google Password Manager), with no device cookie there.
 */
export async function syncPasskeys(from: VirtualAuthenticator, to: VirtualAuthenticator): Promise<void> {
  const { credentials } = await from.cdp.send('WebAuthn.getCredentials', { authenticatorId: from.authenticatorId });
  for (const credential of credentials) await to.cdp.send('WebAuthn.addCredential', { authenticatorId: to.authenticatorId, credential });
}
