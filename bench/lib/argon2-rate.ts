/**
 * The raw argon2id verification rate in this process, with Konpay's own hasher
 * (src/identity/password.ts: @node-rs/argon2, the pepper as its secret) and the
 * production parameters, on as many concurrent verifications as the server's libuv
 * thread pool runs (UV_THREADPOOL_SIZE, 4 by default): login's floor cost.
 */
import { argon2Hasher, type HashParams } from '../../src/identity/password.js';

export const libuvThreads = (): number => Number(process.env.UV_THREADPOOL_SIZE) || 4;

export async function argon2VerifyRate(pepper: Buffer, params: HashParams, password: string, hashed: string, seconds: number): Promise<{ perSecond: number; verifies: number; threads: number }> {
  const hasher = argon2Hasher(pepper, params);
  if (!(await hasher.verify(hashed, password))) throw new Error('argon2: the bench password does not verify against its own hash');
  const threads = libuvThreads();
  // Warm the thread pool first.
  await Promise.all(Array.from({ length: threads }, () => hasher.verify(hashed, password)));
  let verifies = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(Array.from({ length: threads }, async () => {
    while (performance.now() < deadline) {
      if (!(await hasher.verify(hashed, password))) throw new Error('argon2 verification failed');
      verifies++;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: verifies / elapsed, verifies, threads };
}
