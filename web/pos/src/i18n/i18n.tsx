/**
 * Japanese and English for the till. The first visit follows the browser's language; a
 * choice made with the switch is remembered on this register (only the language: the
 * terminal's secret never goes to localStorage).
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { en, type MessageKey } from './en.js';
import { ja } from './ja.js';

export type Locale = 'ja' | 'en';
type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

const STORAGE_KEY = 'konpay.pos.locale';
const MESSAGES: Record<Locale, Record<MessageKey, string>> = { ja, en };

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'ja' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

function translator(locale: Locale): Translate {
  return (key, params = {}) => MESSAGES[locale][key].replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m));
}

interface LocaleState {
  locale: Locale;
  setLocale(l: Locale): void;
  t: Translate;
}

const LocaleContext = createContext<LocaleState>({ locale: 'ja', setLocale: () => undefined, t: translator('ja') });

export function LocaleProvider({ children }: { children: ComponentChildren }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  // Screen readers and the browser's own widgets take the language from <html lang>.
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<LocaleState>(() => ({
    locale,
    t: translator(locale),
    setLocale(l) {
      localStorage.setItem(STORAGE_KEY, l);
      setLocaleState(l);
    },
  }), [locale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}
