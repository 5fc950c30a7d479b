/** The role table (OPS-2): reads for every role, changes for admins unless the table widens them. */
import { describe, expect, it } from 'vitest';
import { rolesFor } from './roles.js';

describe('operator roles', () => {
  it('lets every role read, and only admins change what the table does not list', () => {
    expect(rolesFor('GET', '/ops/v1/customers/:customerId')).toEqual(['support', 'risk', 'admin']);
    expect(rolesFor('POST', '/ops/v1/merchants')).toEqual(['admin']);
    expect(rolesFor('POST', '/ops/v1/settlements/:date/close')).toEqual(['admin']);
    expect(rolesFor('DELETE', '/ops/v1/merchants/:merchantId/webhook-endpoints/:endpointId')).toEqual(['admin']);
  });

  it('lets any role freeze and search, and only risk and admin unfreeze or flip kill switches', () => {
    expect(rolesFor('POST', '/ops/v1/customers/search')).toContain('support');
    expect(rolesFor('POST', '/ops/v1/customers/:customerId/freeze')).toContain('support');
    for (const route of ['/ops/v1/customers/:customerId/unfreeze']) expect(rolesFor('POST', route)).toEqual(['risk', 'admin']);
    expect(rolesFor('PUT', '/ops/v1/switches')).toEqual(['risk', 'admin']);
    expect(rolesFor('GET', '/ops/v1/switches')).toContain('support');
  });

  it('reaches approval decisions with any role (the kind decides), and shows the audit log to admins only', () => {
    for (const d of ['approve', 'reject']) expect(rolesFor('POST', `/ops/v1/approvals/:approvalId/${d}`)).toEqual(['support', 'risk', 'admin']);
    expect(rolesFor('GET', '/ops/v1/approvals')).toContain('support');
    expect(rolesFor('GET', '/ops/v1/audit')).toEqual(['admin']);
    expect(rolesFor('GET', '/ops/v1/audit/verify')).toEqual(['admin']);
  });
});
