/** Operator routes for merchants, stores and terminals: thin over src/merchants/service.ts. */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemSchema } from '../../http/problem.js';
import {
  createMerchant, createStore, createTerminal, merchantOverview, resumeMerchant, resumeStore, resumeTerminal, revokeTerminal,
  rotateTerminalSecret, suspendMerchant, suspendStore, suspendTerminal, type MerchantDeps,
} from '../../merchants/service.js';
import { problem } from '../../shared/errors.js';
import { recordOperatorAction } from './audit.js';
import { OPERATOR_SECURITY, OPERATOR_TAGS, operatorProblems } from './contract.js';
import { operatorErrors } from './errors.js';
import {
  createMerchantBody, createStoreBody, merchantCreated, merchantOverviewSchema, merchantParams, overviewView, statusAnswer,
  storeCreated, storeParams, terminalParams, terminalSecretSchema, terminalSecretView,
} from './schemas.js';

const TAGS = OPERATOR_TAGS;
const SECURITY = OPERATOR_SECURITY;
const problems = { ...operatorProblems, 404: problemSchema } as const;

/** An answer holding a secret must not be kept by a browser or a proxy. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

type Party = 'merchant' | 'store' | 'terminal';
type Change = (d: MerchantDeps, id: string) => Promise<{ kind: 'updated' } | { kind: 'not_found' } | { kind: 'revoked' }>;
const PARAM = { merchant: 'merchantId', store: 'storeId', terminal: 'terminalId' } as const;
const PARAMS = { merchant: merchantParams, store: storeParams, terminal: terminalParams } as const;

export function merchantOpsRoutes(deps: MerchantDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/ops/v1/merchants', {
      schema: { tags: TAGS, summary: 'Register a merchant', security: SECURITY, body: createMerchantBody, response: { 201: merchantCreated, ...operatorProblems } },
    }, async (req, reply) => {
      const r = await createMerchant(deps, { name: req.body.name });
      await recordOperatorAction(req, 'merchant.create', { merchantId: r.id }, 'created');
      return reply.code(201).send({ id: r.id, name: req.body.name });
    });

    app.get('/ops/v1/merchants/:merchantId/stores', {
      schema: {
        tags: TAGS, summary: 'A merchant with its stores and their terminals (never their secrets)', security: SECURITY,
        params: merchantParams, response: { 200: merchantOverviewSchema, ...problems },
      },
    }, async (req) => {
      const r = await merchantOverview(deps, req.params.merchantId);
      await recordOperatorAction(req, 'merchant.view', { merchantId: req.params.merchantId }, r.kind);
      if (r.kind === 'not_found') throw problem(operatorErrors, 'merchant_not_found');
      return overviewView(r);
    });

    app.post('/ops/v1/merchants/:merchantId/stores', {
      schema: { tags: TAGS, summary: 'Register a store of a merchant', security: SECURITY, params: merchantParams, body: createStoreBody, response: { 201: storeCreated, ...problems } },
    }, async (req, reply) => {
      const { merchantId } = req.params;
      const r = await createStore(deps, { merchantId, name: req.body.name, location: req.body.location });
      await recordOperatorAction(req, 'store.create', { merchantId, storeId: r.kind === 'created' ? r.id : undefined }, r.kind);
      if (r.kind === 'not_found') throw problem(operatorErrors, 'merchant_not_found');
      return reply.code(201).send({ id: r.id, merchantId, name: req.body.name });
    });

    app.post('/ops/v1/stores/:storeId/terminals', {
      schema: {
        tags: TAGS, summary: 'Register a POS terminal; answers its key id and secret, this once', security: SECURITY,
        params: storeParams, response: { 201: terminalSecretSchema, ...problems },
      },
    }, async (req, reply) => {
      const { storeId } = req.params;
      const r = await createTerminal(deps, { storeId });
      await recordOperatorAction(req, 'terminal.create', { storeId, terminalId: r.kind === 'created' ? r.terminalId : undefined }, r.kind);
      if (r.kind === 'not_found') throw problem(operatorErrors, 'store_not_found');
      return noStore(reply).code(201).send(terminalSecretView(r));
    });

    app.post('/ops/v1/terminals/:terminalId/rotate-secret', {
      schema: {
        tags: TAGS, summary: 'Give a terminal a new secret (answered this once); the old one stops working at once', security: SECURITY,
        params: terminalParams, response: { 200: terminalSecretSchema, ...problems, 409: problemSchema },
      },
    }, async (req, reply) => {
      const { terminalId } = req.params;
      const r = await rotateTerminalSecret(deps, terminalId);
      await recordOperatorAction(req, 'terminal.rotate_secret', { terminalId }, r.kind);
      if (r.kind === 'not_found') throw problem(operatorErrors, 'terminal_not_found');
      if (r.kind === 'revoked') throw problem(operatorErrors, 'terminal_revoked');
      return noStore(reply).send(terminalSecretView(r));
    });

    app.post('/ops/v1/terminals/:terminalId/revoke', {
      schema: { tags: TAGS, summary: 'Revoke a terminal for good', security: SECURITY, params: terminalParams, response: { 200: statusAnswer, ...problems } },
    }, async (req) => {
      const { terminalId } = req.params;
      const r = await revokeTerminal(deps, terminalId);
      await recordOperatorAction(req, 'terminal.revoke', { terminalId }, r.kind);
      if (r.kind === 'not_found') throw problem(operatorErrors, 'terminal_not_found');
      return { id: terminalId, status: 'revoked' as const };
    });

    const statusRoute = (party: Party, verb: 'suspend' | 'resume', change: Change) => {
      app.post(`/ops/v1/${party}s/:${PARAM[party]}/${verb}`, {
        schema: {
          tags: TAGS, security: SECURITY, params: PARAMS[party], response: { 200: statusAnswer, ...problems, 409: problemSchema },
          summary: verb === 'suspend' ? `Suspend a ${party}: its POS requests are refused until resumed` : `Resume a suspended ${party}`,
        },
      }, async (req) => {
        const id = (req.params as Record<string, string>)[PARAM[party]]!;
        const r = await change(deps, id);
        await recordOperatorAction(req, `${party}.${verb}`, { [PARAM[party]]: id }, r.kind);
        if (r.kind === 'not_found') throw problem(operatorErrors, `${party}_not_found`);
        if (r.kind === 'revoked') throw problem(operatorErrors, 'terminal_revoked');
        return { id, status: verb === 'suspend' ? 'suspended' as const : 'active' as const };
      });
    };
    statusRoute('merchant', 'suspend', suspendMerchant);
    statusRoute('merchant', 'resume', resumeMerchant);
    statusRoute('store', 'suspend', suspendStore);
    statusRoute('store', 'resume', resumeStore);
    statusRoute('terminal', 'suspend', suspendTerminal);
    statusRoute('terminal', 'resume', resumeTerminal);
  };
}
