// A short message over the page (who joined, a copied link, a refused action) that goes away by
// itself; the element is a polite live region, so screen readers say it too.

const SHOWN_MS = 2500;
let timer = null;

export function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(() => { el.hidden = true; }, SHOWN_MS);
}
