// Raised hands and reactions: the control bar's "Raise hand" toggle (H) and its reaction menu,
// and what others' reactions look like: their emoji floating over their tile for a few seconds.
// The order of hands lives in the meeting (the server keeps it); the people panel shows it.

import { t, errorText } from '../i18n/i18n.js';
import { toast } from '../web/toast.js';

/** The reactions the server accepts, with the i18n key of each one's name. */
export const REACTIONS = [
  ['\u{1F44D}', 'reaction.thumbsUp'], ['\u{1F44F}', 'reaction.clap'], ['\u{1F602}', 'reaction.laugh'],
  ['\u2764\uFE0F', 'reaction.heart'], ['\u{1F389}', 'reaction.party'], ['\u{1F62E}', 'reaction.wow'],
];
const SHOWN_MS = 4000;

export class HandsAndReactions {
  /**
   * @param hand the "Raise hand" button
   * @param react the button that opens the reaction menu
   * @param menu the menu of reactions
   */
  constructor({ hand, react, menu }, meeting, connection, stage) {
    this.hand = hand;
    this.react = react;
    this.menu = menu;
    this.meeting = meeting;
    this.connection = connection;
    this.stage = stage;
    hand.addEventListener('click', () => this.toggleHand());
    react.addEventListener('click', () => this.#openMenu(this.menu.hidden));
    for (const [emoji, name] of REACTIONS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'reaction-choice';
      button.setAttribute('role', 'menuitem');
      button.dataset.name = name;
      button.textContent = emoji;
      button.addEventListener('click', () => this.send(emoji));
      menu.append(button);
    }
    menu.addEventListener('keydown', (e) => {
      const items = [...menu.querySelectorAll('button')];
      const at = items.indexOf(document.activeElement);
      if (e.key === 'Escape') {
        this.#openMenu(false);
        react.focus();
      } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        items[(at + (e.key === 'ArrowRight' ? 1 : items.length - 1)) % items.length].focus();
        e.preventDefault();
      }
    });
    document.addEventListener('click', (e) => {
      if (!menu.hidden && !menu.contains(e.target) && e.target !== react) this.#openMenu(false);
    });
    document.addEventListener('keydown', (e) => {
      const typing = e.target.closest?.('input, textarea, select, [contenteditable]');
      if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && e.key.toLowerCase() === 'h' && !$meetingHidden()) this.toggleHand();
    });
    meeting.addEventListener('change', ({ detail: { what } }) => { if (['hands', 'entered'].includes(what)) this.render(); });
    document.addEventListener('languagechange', () => this.render());
    connection.addEventListener('reaction', ({ detail: { pid, emoji } }) => this.show(pid, emoji));
    connection.addEventListener('hands', ({ detail: { pids } }) => meeting.setHands(pids));
    this.render();
  }

  get raised() {
    return this.meeting.hands.includes(this.connection.pid);
  }

  render() {
    this.hand.textContent = t(this.raised ? 'hand.lower' : 'hand.raise');
    this.hand.setAttribute('aria-pressed', String(this.raised));
    this.react.textContent = t('reaction.open');
    for (const button of this.menu.querySelectorAll('button')) {
      button.setAttribute('aria-label', t('reaction.send', { name: t(button.dataset.name) }));
      button.title = t(button.dataset.name);
    }
  }

  toggleHand() {
    this.connection.request('hand', { raised: !this.raised }).catch((e) => toast(errorText(e)));
  }

  send(emoji) {
    this.#openMenu(false);
    this.show(this.connection.pid, emoji);
    this.connection.request('react', { emoji }).catch((e) => toast(errorText(e)));
  }

  /** Floats the emoji over the person's tile; it goes by itself. */
  show(pid, emoji) {
    const tile = this.stage.tileOf(pid);
    if (!tile) return;
    const bubble = document.createElement('span');
    bubble.className = 'reaction';
    bubble.setAttribute('role', 'img');
    const name = REACTIONS.find(([e]) => e === emoji)?.[1];
    bubble.setAttribute('aria-label', name ? t(name) : emoji);
    bubble.textContent = emoji;
    tile.append(bubble);
    setTimeout(() => bubble.remove(), SHOWN_MS);
  }

  #openMenu(open) {
    this.menu.hidden = !open;
    this.react.setAttribute('aria-expanded', String(open));
    if (open) this.menu.querySelector('button')?.focus();
  }
}

function $meetingHidden() {
  return document.getElementById('meeting')?.hidden ?? true;
}
