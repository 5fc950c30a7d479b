import type { FastifyReply } from 'fastify';

/**
 * Sends a server-rendered page from a route whose schema describes its JSON answer.
 * The page bypasses the JSON serializer; a strict CSP keeps any stray markup inert.
 */
export function sendHtml(reply: { type: FastifyReply['type'] }, html: string): FastifyReply {
  const r = reply as unknown as FastifyReply;
  return r
    .type('text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .serializer((s: unknown) => s as string)
    .send(html);
}
