// The controls of what the stage shows: the Grid / Speaker view button (and G), the pager under
// the grid with its page count (and Page Up / Page Down), and the tiles-per-page choice in
// Settings. The view and the page size are kept for the next visit.

import { t } from '../i18n/i18n.js';
import { icon } from '../web/icons.js';
import { PAGE_SIZES } from './layout.js';

const VIEW_KEY = 'myzoom.view';
const PAGE_SIZE_KEY = 'myzoom.pageSize';

/** The view and page size the user chose last time, for the Layout's constructor. */
export function savedView() {
  return { view: localStorage.getItem(VIEW_KEY) ?? 'grid', pageSize: Number(localStorage.getItem(PAGE_SIZE_KEY)) || 25 };
}

export class ViewControls {
  constructor({ toggle, pager, prev, label, next, pageSize }, stage) {
    const layout = stage.layout;
    this.els = { toggle, pager, prev, label, next };
    this.stage = stage;
    prev.append(icon('chevronLeft'));
    next.append(icon('chevronRight'));
    toggle.addEventListener('click', () => this.#toggle());
    prev.addEventListener('click', () => layout.turn(-1));
    next.addEventListener('click', () => layout.turn(1));
    for (const size of PAGE_SIZES) pageSize.append(new Option(String(size), String(size)));
    pageSize.value = String(layout.chosenPageSize);
    pageSize.addEventListener('change', () => {
      layout.setPageSize(Number(pageSize.value));
      localStorage.setItem(PAGE_SIZE_KEY, pageSize.value);
    });
    document.addEventListener('keydown', (e) => {
      if (document.getElementById('meeting').hidden || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.target.closest('input, textarea, select, dialog[open]')) return;
      // In the side panel Page Up/Down scroll the chat or the list, as anywhere else.
      const inSide = e.target.closest('#side');
      if (e.key === 'PageDown' && !inSide) layout.turn(1);
      else if (e.key === 'PageUp' && !inSide) layout.turn(-1);
      else if (e.key.toLowerCase() === 'g' && !e.shiftKey) this.#toggle();
      else return;
      e.preventDefault();
    });
    stage.addEventListener('layout', () => this.render());
    document.addEventListener('languagechange', () => this.render());
    this.render();
  }

  #toggle() {
    const layout = this.stage.layout;
    layout.setView(this.stage.arranged.view === 'speaker' ? 'grid' : 'speaker');
    localStorage.setItem(VIEW_KEY, layout.view);
  }

  render() {
    const { view, page, pages } = this.stage.arranged;
    const { toggle, pager, prev, label, next } = this.els;
    // The button says what it switches to.
    toggle.textContent = t(view === 'speaker' ? 'view.grid' : 'view.speaker');
    pager.hidden = view === 'speaker' || pages < 2;
    label.textContent = t('view.page', { page: page + 1, pages });
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    prev.setAttribute('aria-label', t('view.prev'));
    next.setAttribute('aria-label', t('view.next'));
  }
}
