/**
 * Which operator roles may call which route (OPS-2), in one table rather than in each
 * route, so routes written by other modules (kill switches, webhooks, settlement) are
 * covered without touching them, and a reviewer reads the whole policy in one place.
 *
 * The default is deny-by-default for changes: a route not listed here may be read by
 * every role (support needs to look things up) and changed by admins only. Listed routes
 * widen or narrow that. Keys are Fastify's route patterns, as `req.routeOptions.url`.
 *
 * - Freezing protects a customer: support may do it the moment a customer calls.
 * - Unfreezing and changing a customer's limits let money move, and flipping a kill switch stops or restarts a
 *   service for everyone: risk and admin only.
 * - Approving needs a second operator whose role the request's kind allows (checked by
 *   src/ops/approvals/, not here).
 * - Replaying a webhook only resends what a merchant should already have: any role.
 */
import type { OperatorRole } from '../../operators/repo.js';

const ALL: readonly OperatorRole[] = ['support', 'risk', 'admin'];
const RISK: readonly OperatorRole[] = ['risk', 'admin'];
const ADMIN: readonly OperatorRole[] = ['admin'];

export const ROLE_RULES: Readonly<Record<string, readonly OperatorRole[]>> = {
  // A search is a read sent as a POST (its query stays out of URLs and logs).
  'POST /ops/v1/customers/search': ALL,
  'POST /ops/v1/customers/:customerId/freeze': ALL,
  'POST /ops/v1/customers/:customerId/unfreeze': RISK,
  // A customer's own limits: a raise lets money move (and waits for a second operator).
  'PUT /ops/v1/customers/:customerId/limits': RISK,
  'PUT /ops/v1/switches': RISK,
  // Any role reaches the decision; the approvals service then checks the role against the
  // request's kind (unfreeze: risk or admin), which a route pattern cannot know.
  'POST /ops/v1/approvals/:approvalId/approve': ALL,
  'POST /ops/v1/approvals/:approvalId/reject': ALL,
  // The audit log names every operator's every action: admins only, even to read.
  'GET /ops/v1/audit': ADMIN,
  'GET /ops/v1/audit/verify': ADMIN,
  // Cases (RISK-2, OPS-3): support reads the queue; risk and admin take and decide.
  'POST /ops/v1/cases/:caseId/assign': RISK,
  'POST /ops/v1/cases/:caseId/decide': RISK,
  'POST /ops/v1/webhooks/events/:eventId/replay': ALL,
  // Signing oneself out is never refused.
  'DELETE /ops/v1/session': ALL,
};

const READS = new Set(['GET', 'HEAD']);

export function rolesFor(method: string, routeUrl: string): readonly OperatorRole[] {
  return ROLE_RULES[`${method} ${routeUrl}`] ?? (READS.has(method) ? ALL : ADMIN);
}
