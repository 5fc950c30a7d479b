/** The shared one-request-at-a-time state, explained in the console's words; a lost session goes back to sign-in. */
import { useRequest } from '../../shared/action.js';
import { useLocale } from './i18n/i18n.js';
import { explain, sessionEnded } from './problems.js';
import { useSession } from './session.js';

export function useAction() {
  const { t } = useLocale();
  const session = useSession();
  return useRequest((err) => explain(err, t), (err) => {
    if (!sessionEnded(err)) return false;
    session.signOut(err);
    return true;
  });
}
