/**
 * The operator API's contract types, inferred from the zod schemas that validate and
 * document each endpoint (type-only: nothing of the server is bundled), so a changed
 * answer fails `npm run typecheck` here rather than in front of an operator.
 */
import type { z } from 'zod';
import type { Problem } from '../../../src/http/problem.js';
import type { operatorSignedIn, operatorWhoAmI, signInBody } from '../../../src/operators/schemas.js';
import type { customerDetailSchema, dashboardSchema, merchantList, searchAnswer, freezeAnswer } from '../../../src/ops/console/schemas.js';
import type { changeSwitchBody, switchSchema, switchesAnswer } from '../../../src/ops/switches/schemas.js';
import type { deliveryList, replayAnswer } from '../../../src/webhooks/schemas.js';
import type { approvalList, approvalSchema } from '../../../src/ops/approvals/schemas.js';
import type { auditList, chainStatus } from '../../../src/ops/audit/schemas.js';
import type { unfreezeRequested } from '../../../src/ops/console/schemas.js';
import type { caseDetailSchema, caseList, caseSchema, decideAnswer, monthlySchema } from '../../../src/cases/schemas.js';

export type { Problem };
export type SignInBody = z.input<typeof signInBody>;
export type SignedIn = z.infer<typeof operatorSignedIn>;
export type WhoAmI = z.infer<typeof operatorWhoAmI>;
export type Operator = WhoAmI['operator'];
export type SearchAnswer = z.infer<typeof searchAnswer>;
export type CustomerDetail = z.infer<typeof customerDetailSchema>;
export type FreezeAnswer = z.infer<typeof freezeAnswer>;
export type Dashboard = z.infer<typeof dashboardSchema>;
export type Merchants = z.infer<typeof merchantList>;
export type Switches = z.infer<typeof switchesAnswer>;
export type Switch = z.infer<typeof switchSchema>;
export type SwitchChange = z.input<typeof changeSwitchBody>;
export type Deliveries = z.infer<typeof deliveryList>;
export type Delivery = Deliveries['deliveries'][number];
export type Replayed = z.infer<typeof replayAnswer>;
export type CaseList = z.infer<typeof caseList>;
export type Case = z.infer<typeof caseSchema>;
export type CaseDetail = z.infer<typeof caseDetailSchema>;
export type CaseDecision = z.infer<typeof decideAnswer>;
export type CompensationMonthly = z.infer<typeof monthlySchema>;
export type Approval = z.infer<typeof approvalSchema>;
export type Approvals = z.infer<typeof approvalList>;
export type UnfreezeRequested = z.infer<typeof unfreezeRequested>;
export type AuditLog = z.infer<typeof auditList>;
export type AuditEntry = AuditLog['entries'][number];
export type ChainStatus = z.infer<typeof chainStatus>;
