/** The till's requests (web/shared/action.ts): credentials that stopped working end the session with the explanation. */
import { useContext } from 'preact/hooks';
import { useRequest } from '../../shared/action.js';
import { useLocale } from './i18n/i18n.js';
import { explain } from './problems.js';
import { SessionContext, credentialsDead } from './session.js';

export function useAction() {
  const { t } = useLocale();
  const session = useContext(SessionContext);
  return useRequest((err) => explain(err, t), (err) => {
    if (!session || !credentialsDead(err)) return false;
    session.signOut(err);
    return true;
  });
}
