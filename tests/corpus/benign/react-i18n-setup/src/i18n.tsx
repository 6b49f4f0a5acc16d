import { createContext, useContext, useEffect, useState, type ReactNode } from "react";

type Messages = Record<string, string>;
const I18n = createContext<{ lang: string; t: (key: string) => string; setLang: (l: string) => void }>({
  lang: "en",
  t: (key) => key,
  setLang: () => {},
});

async function load(lang: string): Promise<Messages> {
  const mod = await import(`./locales/${lang}.json`);
  return mod.default as Messages;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState(() => localStorage.getItem("lang") ?? navigator.language.slice(0, 2));
  const [messages, setMessages] = useState<Messages>({});
  const [fallback, setFallback] = useState<Messages>({});
  useEffect(() => {
    load("en").then(setFallback);
  }, []);
  useEffect(() => {
    load(lang).then(setMessages).catch(() => setMessages({}));
    localStorage.setItem("lang", lang);
  }, [lang]);
  const t = (key: string) => messages[key] ?? fallback[key] ?? key;
  return <I18n.Provider value={{ lang, t, setLang }}>{children}</I18n.Provider>;
}

export const useI18n = () => useContext(I18n);

export function LanguageSwitcher({ languages }: { languages: string[] }) {
  const { lang, setLang } = useI18n();
  return (
    <select value={lang} onChange={(e) => setLang(e.target.value)}>
      {languages.map((l) => (
        <option key={l} value={l}>{l.toUpperCase()}</option>
      ))}
    </select>
  );
}
