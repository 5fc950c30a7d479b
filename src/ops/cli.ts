/**
 * The entry point of `npm run ops -- <command>` (src/ops/main.ts has the commands): the
 * process's arguments, streams and environment, its exit status, and Ctrl-C/SIGTERM.
 *
 * A long command (passwords force-reset) subscribes to interrupts to stop after the batch
 * in flight; a second signal ends the process at once, its batch rolled back. That policy
 * is the process's, so it lives here and not in the commands.
 */
import { main } from './main.js';

function onInterrupt(handler: () => void): () => void {
  let signalled = false;
  const onSignal = () => {
    if (signalled) process.exit(130);
    signalled = true;
    handler();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, onInterrupt }).then(
  (status) => {
    process.exitCode = status;
  },
  (err: unknown) => {
    console.error('konpay ops: failed:', err);
    process.exitCode = 1;
  },
);
