/**
 * Japanese and English for every Konpay web app. The first visit follows the browser's
 * language (Japanese for any ja-*, English otherwise); a choice made with the switch is
 * remembered under the app's own key (only the language is ever stored). Each app brings
 * its own messages; TypeScript makes every key exist in both languages.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';

export type Locale = 'ja' | 'en';
type Params = Record<string, string | number>;
export type Translator<K extends string> = (key: K, params?: Params) => string;

export interface LocaleState<K extends string> {
  locale: Locale;
  setLocale(l: Locale): void;
  t: Translator<K>;
}

export function createLocale<K extends string>(opts: { storageKey: string; messages: Record<Locale, Record<K, string>>; fallback: Locale }) {
  const initialLocale = (): Locale => {
    const saved = localStorage.getItem(opts.storageKey);
    if (saved === 'ja' || saved === 'en') return saved;
    return navigator.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
  };
  const translator = (locale: Locale): Translator<K> =>
    (key, params = {}) => opts.messages[locale][key].replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m));
  const Context = createContext<LocaleState<K>>({ locale: opts.fallback, setLocale: () => undefined, t: translator(opts.fallback) });

  function LocaleProvider({ children }: { children: ComponentChildren }) {
    const [locale, setLocaleState] = useState<Locale>(initialLocale);
    // Screen readers and the browser's own widgets take the language from <html lang>.
    useEffect(() => {
      document.documentElement.lang = locale;
    }, [locale]);
    const value = useMemo<LocaleState<K>>(() => ({
      locale,
      t: translator(locale),
      setLocale(l) {
        localStorage.setItem(opts.storageKey, l);
        setLocaleState(l);
      },
    }), [locale]);
    return <Context.Provider value={value}>{children}</Context.Provider>;
  }

  return { LocaleProvider, useLocale: (): LocaleState<K> => useContext(Context) };
}
