/**
 * One POST to a merchant's endpoint. Outcomes are values: an HTTP status, or the reason
 * there was none. The response body is never read: it would only cost time, and a
 * receiver's page has no place in our logs.
 */
export type PostResult = { kind: 'answered'; status: number } | { kind: 'no_answer'; error: string };

export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
  try {
    const res = await fetch(url, {
      method: 'POST', body, headers,
      // A redirect is not a delivery: following it would let an endpoint point our
      // signed requests anywhere, internal addresses included.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel().catch(() => {});
    return { kind: 'answered', status: res.status };
  } catch (err) {
    return { kind: 'no_answer', error: reason(err, timeoutMs) };
  }
}

function reason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = e.cause?.code ?? e.cause?.message ?? e.message ?? 'request failed';
  return `connection failed: ${cause}`.slice(0, 500);
}
