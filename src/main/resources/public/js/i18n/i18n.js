// Picks the language (saved choice, else the browser's), translates keys, and fills the page's
// data-i18n attributes. Changing language fires "languagechange" on document for dynamic parts.

import { messages } from './messages.js';

const STORAGE_KEY = 'myzoom.lang';
export const languages = { en: 'English', ko: '한국어' };

let current = pick();

function pick() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && messages[saved]) return saved;
  const preferred = (navigator.languages || [navigator.language || 'en']).map((l) => l.slice(0, 2));
  return preferred.find((l) => messages[l]) || 'en';
}

export function language() {
  return current;
}

export function setLanguage(lang) {
  if (!messages[lang] || lang === current) return;
  current = lang;
  localStorage.setItem(STORAGE_KEY, lang);
  translatePage();
  document.dispatchEvent(new CustomEvent('languagechange', { detail: { lang } }));
}

/** Translates a key; {name} is replaced by vars.name, and {count, plural, one {…} other {…}} picks a form. */
export function t(key, vars = {}) {
  const template = messages[current][key] ?? messages.en[key] ?? key;
  return template
    .replace(/\{(\w+), plural, one \{([^}]*)\} other \{([^}]*)\}\}/g, (_, name, one, other) => {
      const n = Number(vars[name]);
      return (n === 1 ? one : other).replace('#', String(n));
    })
    .replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** The page's words for a server error reply, falling back to a generic line with the code. */
export function errorText(error, vars = {}) {
  const key = `error.${error?.code}`;
  return key in messages.en ? t(key, vars) : t('error.unknown', { code: error?.code ?? '?' });
}

export function translatePage(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}

/** Fills a <select> with the languages and switches when the user picks one. */
export function languageSwitch(select) {
  select.replaceChildren(...Object.entries(languages).map(([code, name]) => new Option(name, code)));
  select.value = current;
  select.addEventListener('change', () => setLanguage(select.value));
  document.addEventListener('languagechange', () => { select.value = current; });
}
