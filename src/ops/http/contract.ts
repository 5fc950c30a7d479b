/** What every operator route declares in its schema, so the OpenAPI document groups and secures them alike. */
import { problemSchema } from '../../http/problem.js';

export const OPERATOR_TAGS = ['operators'];
/** The machine token or a console session (src/http/app.ts): either will do. */
export const OPERATOR_SECURITY: Record<string, string[]>[] = [{ operatorToken: [] }, { operatorSession: [] }];
/** 401: no operator proven; 403: a console write without its CSRF token, or a role the route refuses (./roles.ts). */
export const operatorProblems = { 401: problemSchema, 403: problemSchema } as const;
