/** What recovery, contact changes and "this wasn't me" need beyond the identity module's collaborators. */
import type { IdentityDeps } from '../deps.js';
import type { FreezeLinks } from '../freeze-links.js';

export interface AccountDeps extends IdentityDeps {
  /** One-tap "this wasn't me" links for the notices of security events. */
  freezeLinks: FreezeLinks;
}
