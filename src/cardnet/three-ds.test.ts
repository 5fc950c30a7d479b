import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postCode, RETURN_URL, startAuth, startTestCardnet, tokenFor, type TestCardnet } from '../../test/harness/cardnet.js';
import { latestCode, messagesTo } from '../../test/harness/customer.js';

let c: TestCardnet;
beforeAll(async () => {
  c = await startTestCardnet();
});
afterAll(() => c.stop());

const status = async (id: string) => (await c.cardnet.app.inject({ method: 'GET', url: `/cardnet/v1/authentications/${id}` })).json() as { status: string };

describe('3-D Secure 2', () => {
  it('lets the frictionless card through without a challenge when none is mandated', async () => {
    const card = await tokenFor(c, '4000000000001000');
    const auth = await startAuth(c, card.token, 5000, 'no_preference');
    expect(auth).toMatchObject({ status: 'authenticated', challengeUrl: null });
    expect(await messagesTo(c.t, card.holder.phoneE164)).toEqual([]);
  });

  it('challenges even the frictionless card when the merchant mandates it', async () => {
    const card = await tokenFor(c, '4000000000001000');
    expect((await startAuth(c, card.token, 5000, 'mandate')).status).toBe('challenge_required');
  });

  it('completes the challenge page flow with the code sent by SMS', async () => {
    const card = await tokenFor(c, '4000000000002008');
    const auth = await startAuth(c, card.token, 12_000);
    expect(auth.status).toBe('challenge_required');
    expect(auth.challengeUrl).toBe(`${c.cardnet.url}/cardnet/acs/${auth.id}`);

    // The browser follows challengeUrl to the issuer's page (fetched over real HTTP here).
    const page = await fetch(auth.challengeUrl!);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain(`<form method="post" action="/cardnet/acs/${auth.id}">`);
    expect(html).toContain('card ending <b>2008</b>');
    expect(html).toContain('¥12,000');

    const [sms] = await messagesTo(c.t, card.holder.phoneE164);
    expect(sms).toMatchObject({ channel: 'sms' });
    expect(sms!.body).toContain('2008');
    const code = await latestCode(c.t, card.holder.phoneE164, 'sms');

    const wrong = await postCode(c, auth.id, code === '000000' ? '111111' : '000000');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('4 attempt(s) left');

    const right = await postCode(c, auth.id, code);
    expect(right.statusCode).toBe(303);
    const back = new URL(right.headers.location as string);
    expect(`${back.origin}${back.pathname}`).toBe(RETURN_URL);
    expect(Object.fromEntries(back.searchParams)).toEqual({ authentication: auth.id, status: 'authenticated' });
    expect(await status(auth.id)).toMatchObject({ status: 'authenticated' });

    // The page now only says the verification is over: no form to post codes into.
    const after = await c.cardnet.app.inject({ method: 'GET', url: `/cardnet/acs/${auth.id}` });
    expect(after.body).not.toContain('<form');
  });

  it('fails the challenge-failed card even with the right code', async () => {
    const card = await tokenFor(c, '4000000000003006');
    const auth = await startAuth(c, card.token, 3000);
    const res = await postCode(c, auth.id, await latestCode(c.t, card.holder.phoneE164, 'sms'));
    expect(res.statusCode).toBe(303);
    expect(new URL(res.headers.location as string).searchParams.get('status')).toBe('failed');
    expect(await status(auth.id)).toMatchObject({ status: 'failed' });
  });

  it('fails after five wrong codes, and the right code no longer helps', async () => {
    const card = await tokenFor(c, '4000000000002008');
    const auth = await startAuth(c, card.token, 3000);
    const code = await latestCode(c.t, card.holder.phoneE164, 'sms');
    const wrong = code === '999999' ? '999998' : '999999';
    for (let i = 0; i < 4; i++) expect((await postCode(c, auth.id, wrong)).statusCode).toBe(400);
    const fifth = await postCode(c, auth.id, wrong);
    expect(fifth.statusCode).toBe(303);
    expect(new URL(fifth.headers.location as string).searchParams.get('status')).toBe('failed');
    const late = await postCode(c, auth.id, code);
    expect(new URL(late.headers.location as string).searchParams.get('status')).toBe('failed');
    expect(await status(auth.id)).toMatchObject({ status: 'failed' });
  });

  it('expires the code after 10 minutes', async () => {
    const card = await tokenFor(c, '4000000000002008');
    const auth = await startAuth(c, card.token, 3000);
    const code = await latestCode(c.t, card.holder.phoneE164, 'sms');
    c.clock.advance(10 * 60_000);
    const res = await postCode(c, auth.id, code);
    expect(new URL(res.headers.location as string).searchParams.get('status')).toBe('failed');
  });

  it('answers 404 for an unknown authentication or a token passed as one', async () => {
    const card = await tokenFor(c, '4000000000002008');
    for (const id of ['3ds_00000000000000000000000000000000', card.token]) {
      expect((await c.cardnet.app.inject({ method: 'GET', url: `/cardnet/v1/authentications/${id}` })).json()).toMatchObject({ code: 'authentication_not_found' });
    }
  });
});
