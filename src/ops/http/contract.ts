/** What every operator route declares in its schema, so the OpenAPI document groups and secures them alike. */
import { problemSchema } from '../../http/problem.js';

export const OPERATOR_TAGS = ['operators'];
/** The `operatorToken` security scheme (src/http/app.ts). */
export const OPERATOR_SECURITY = [{ operatorToken: [] }];
export const operatorProblems = { 401: problemSchema } as const;
