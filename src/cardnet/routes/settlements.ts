/** The daily settlement file. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CardnetDeps } from '../deps.js';
import { settlementParams } from '../schemas.js';
import { settlementCsv } from '../settlement.js';

export function settlementRoutes(deps: CardnetDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.get('/cardnet/v1/settlements/:date', {
      schema: {
        summary: 'The settlement file of one UTC day (CSV)', tags: ['cardnet: settlement'], params: settlementParams,
        response: { 200: z.string().meta({ description: 'text/csv', examples: ['at,kind,reference,payment_reference,amount_jpy\r\n'] }) },
      },
    }, async (req, reply) => {
      const csv = await settlementCsv(deps, req.params.date);
      return reply.serializer((s: unknown) => s as string).type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="settlement-${req.params.date}.csv"`).send(csv);
    });
  };
}
