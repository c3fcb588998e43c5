/**
 * Languages: English and Simplified Chinese, switchable, remembered in localStorage. Every string
 * the app shows comes from a catalogue; `{name}` placeholders are filled from `vars`.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

/** The languages the app speaks. */
export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
] as const;

/** A language code. */
export type Lang = (typeof LANGUAGES)[number]['code'];

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
const KEY = 'rtl.lang';

/** Translates a key, filling `{name}` placeholders. */
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t: Translate;
}

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    // storage blocked: fall through to the browser's language
  }
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Fills a catalogue message. */
export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const msg = CATALOGUES[lang][key] ?? en[key] ?? key;
  return vars ? msg.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : msg;
}

const I18nContext = createContext<I18n>({ lang: 'en', setLang: () => {}, t: (k) => en[k] });

/** Provides the language to the tree. */
export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, 'app.title');
  }, [lang]);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang: (l) => {
        try {
          localStorage.setItem(KEY, l);
        } catch {
          // not remembered, still switched
        }
        setLangState(l);
      },
      t: (key, vars) => translate(lang, key, vars),
    }),
    [lang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/**
 * The label of a code value (`use.ktv`, `status.paid`, …) when the catalogue has one; the code
 * itself otherwise, so a value added to the API later still shows.
 */
export function enumLabel(t: Translate, prefix: string, value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const key = `${prefix}.${value}`;
  return key in en ? t(key as MessageKey) : value;
}

/** The language, its setter and the translate function. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
