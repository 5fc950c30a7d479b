/** Contracts of operator sign-in, the session, and who is signed in. */
import { z } from 'zod';

export const signInBody = z.object({
  email: z.string().max(254),
  password: z.string().max(1024),
  code: z.string().max(16).describe('The 6-digit code of the authenticator app, every time'),
}).strict().meta({ examples: [{ email: 'sato@konpay.example', password: 'k7m2p-xq4rt-…', code: '492039' }] });

const operatorView = z.object({
  id: z.string().describe('`opr_…`, or `operator-token` for the machine token'),
  name: z.string(),
  email: z.string().nullable(),
  role: z.enum(['support', 'risk', 'admin']),
  via: z.enum(['console', 'api-token']),
});

const OPR = { id: 'opr_019ab5c4e2d07c3a9e51f0b2d4c6a8e9', name: 'Sato Yui', email: 'sato@konpay.example', role: 'risk', via: 'console' } as const;

export const operatorSignedIn = z.object({
  operator: operatorView,
  csrfToken: z.string().describe('Send as `x-csrf-token` with every write of this session'),
  expiresAt: z.string().describe('The session ends then at the latest'),
  idleTimeoutSeconds: z.number().int().describe('The session ends after this long without a request'),
}).meta({ id: 'OperatorSignedIn', examples: [{ operator: OPR, csrfToken: 'h3Vb…', expiresAt: '2026-03-02T15:00:00.000Z', idleTimeoutSeconds: 1800 }] });

export const operatorWhoAmI = z.object({
  operator: operatorView,
  csrfToken: z.string().nullable().describe('The console session\'s CSRF token; null for the machine token, which needs none'),
}).meta({ id: 'OperatorWhoAmI', examples: [{ operator: OPR, csrfToken: 'h3Vb…' }] });
