/** The console's languages (web/shared/i18n.tsx), remembered on this browser — only the language. */
import { createLocale, type Translator } from '../../../shared/i18n.js';
import { en, type MessageKey } from './en.js';
import { ja } from './ja.js';

export type { Locale } from '../../../shared/i18n.js';
export type Translate = Translator<MessageKey>;
export const { LocaleProvider, useLocale } = createLocale<MessageKey>({ storageKey: 'konpay.console.locale', messages: { ja, en }, fallback: 'ja' });
