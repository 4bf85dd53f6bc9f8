// The participant list beside the call: each person's initial, name and microphone and camera
// state, the host's mark, raised hands first in the order they went up (with their place), then
// whoever is speaking, then everyone else; a search by name once the room is big enough; and
// for the host, beside everyone else: Lower hand, Ask to unmute, Mute and Remove. It also keeps
// the head counts (the badge in the top bar and the panel's). It renders from the meeting's
// changes, and again when the language changes.
//
// The meeting changes several times a second while people talk, so the list is never rebuilt
// whole: each person keeps their row, rebuilt only when what it shows changes (who speaks only
// toggles a class), and rows move only when the order changes. While the pointer is over the
// list or focus is in it, who speaks moves nobody (a row must not slide away from under a
// click, and a button must keep the keyboard's focus); raised hands still do, since the host
// acts on them. A button that had the focus gets it back if its row was rebuilt.

import { t, errorText } from '../i18n/i18n.js';
import { icon } from '../web/icons.js';
import { toast } from '../web/toast.js';

// Host actions: the request, the button's accessible name (which names the person), and its
// icon or its text. All but Remove show as an icon, with the name as their tooltip, so a row
// fits on one line beside the name in a 340px panel; Remove, the one that cannot be taken back,
// keeps its word. As in Zoom, a muted person offers "Ask to unmute" where Mute would be.
const LOWER_HAND = { type: 'lowerHand', label: 'hand.lowerOtherLabel', icon: 'arrowDown' };
const ASK_TO_UNMUTE = { type: 'askToUnmute', label: 'host.askLabel', icon: 'mic' };
const MUTE = { type: 'muteParticipant', label: 'room.muteOther', icon: 'micOff' };
const REMOVE = { type: 'removeParticipant', text: 'room.remove', label: 'room.removeOther' };

// Below this many people the whole list fits at a glance, and a search field would be clutter.
const SEARCH_FROM = 8;

export class PeoplePanel {
  /**
   * @param list the <ul> of people
   * @param counts the elements showing the head count: {badge, panel}
   */
  constructor({ list, counts, search }, meeting, connection) {
    this.list = list;
    this.search = search;
    search.addEventListener('input', () => this.render());
    this.counts = counts;
    this.meeting = meeting;
    this.connection = connection;
    /** By pid: the row shown and what it was built from. */
    this.rows = new Map();
    /** Who spoke when the order was last free to change (see the top of this file). */
    this.ordering = new Set();
    this.rendering = false;
    // Lock and password changes show elsewhere (the room's state); everything else shows here.
    meeting.addEventListener('change', ({ detail }) => { if (detail.what !== 'settings') this.render(); });
    this.list.addEventListener('click', (e) => this.#act(e.target.closest('button[data-action]')));
    // Once the pointer or the focus leaves, the order catches up with who speaks.
    this.list.addEventListener('mouseleave', () => this.render());
    // (Not while rendering: a focused button taken out of the list may fire focusout.)
    this.list.addEventListener('focusout', (e) => { if (!this.rendering && !this.list.contains(e.relatedTarget)) this.render(); });
    document.addEventListener('languagechange', () => { this.rows.clear(); this.render(); });
  }

  #interacting() {
    return this.list.matches(':hover') || this.list.contains(document.activeElement);
  }

  render() {
    const { people, hostPid, hands, speaking } = this.meeting;
    const me = this.connection.pid;
    // Hands first, in their order; then who speaks; then everyone else in the order they came.
    if (!this.#interacting()) this.ordering = new Set(speaking);
    const handsUp = hands.filter((pid) => people.has(pid));
    const speakers = [...people.keys()].filter((pid) => this.ordering.has(pid) && !hands.includes(pid));
    const rest = [...people.keys()].filter((pid) => !hands.includes(pid) && !this.ordering.has(pid));
    this.search.closest('.people-search').hidden = people.size < SEARCH_FROM;
    const query = people.size < SEARCH_FROM ? '' : this.search.value.trim().toLocaleLowerCase();
    const order = [...handsUp, ...speakers, ...rest].filter((pid) => !query || people.get(pid).nick.toLocaleLowerCase().includes(query));
    const focused = document.activeElement?.closest?.('#' + this.list.id + ' button[data-action]');
    const refocus = focused && { action: focused.dataset.action, pid: focused.dataset.pid };
    for (const pid of this.rows.keys()) if (!people.has(pid)) this.rows.delete(pid);
    const rows = order.map((pid) => this.#row(pid, people.get(pid), pid === hostPid, me === hostPid && pid !== me));
    const shown = this.list.children;
    if (rows.length !== shown.length || rows.some((li, i) => li !== shown[i])) {
      this.rendering = true;
      try {
        this.list.replaceChildren(...rows);
      } finally {
        this.rendering = false;
      }
    }
    if (refocus && !focused.isConnected) {
      this.list.querySelector(`button[data-action="${refocus.action}"][data-pid="${refocus.pid}"]`)?.focus({ preventScroll: true });
    } else if (focused && document.activeElement !== focused) {
      focused.focus({ preventScroll: true });
    }
    this.counts.badge.textContent = t('room.count', { count: people.size });
    this.counts.panel.textContent = String(people.size);
  }

  /** The person's row: the one shown if it still says the right things, else a new one. */
  #row(pid, p, isHost, canAct) {
    const built = JSON.stringify([p.nick, pid === this.connection.pid, isHost, canAct, this.meeting.hands.indexOf(pid),
      Boolean(p.media?.audio), Boolean(p.media?.video)]);
    let row = this.rows.get(pid);
    if (row?.built !== built) {
      row = { li: this.#item(pid, p, isHost, canAct), built };
      this.rows.set(pid, row);
    }
    row.li.classList.toggle('speaking', this.meeting.speaking.has(pid));
    return row.li;
  }

  #item(pid, p, isHost, canAct) {
    const li = document.createElement('li');
    li.className = 'person';
    const avatar = document.createElement('span');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    avatar.textContent = [...p.nick][0]?.toUpperCase() ?? '?';
    const label = document.createElement('span');
    label.className = 'person-name';
    label.textContent = pid === this.connection.pid ? `${p.nick} ${t('room.you')}` : p.nick;
    const state = document.createElement('span');
    state.className = 'person-state';
    state.replaceChildren(icon(p.media?.audio ? 'mic' : 'micOff'), ...(p.media?.video ? [] : [icon('camOff')]));
    state.setAttribute('aria-label', `${t(p.media?.audio ? 'tile.micOn' : 'tile.micOff')}, ${t(p.media?.video ? 'tile.camOn' : 'tile.camOff')}`);
    li.append(avatar, label);
    if (isHost) {
      const mark = document.createElement('span');
      mark.className = 'host-mark';
      mark.textContent = t('room.host');
      li.append(mark);
    }
    const place = this.meeting.hands.indexOf(pid);
    if (place >= 0) {
      li.classList.add('hand-up');
      const hand = document.createElement('span');
      hand.className = 'hand-mark';
      hand.textContent = `\u270B ${place + 1}`;
      hand.setAttribute('aria-label', t('hand.raisedNth', { n: place + 1 }));
      li.append(hand);
    }
    li.append(state);
    if (canAct) li.append(this.#hostActions(pid, p, place >= 0));
    return li;
  }

  #hostActions(pid, person, handUp) {
    const actions = document.createElement('span');
    actions.className = 'person-actions';
    const offered = [...(handUp ? [LOWER_HAND] : []), person.media?.audio ? MUTE : ASK_TO_UNMUTE, REMOVE];
    for (const { type, text, label, icon: drawn } of offered) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'ghost';
      const name = t(label, { nick: person.nick });
      if (drawn) {
        button.classList.add('icon-button');
        button.append(icon(drawn));
        button.title = name;
      } else {
        button.textContent = t(text);
      }
      button.setAttribute('aria-label', name);
      button.dataset.action = type;
      button.dataset.pid = pid;
      actions.append(button);
    }
    return actions;
  }

  #act(button) {
    if (!button) return;
    const { action, pid } = button.dataset;
    this.connection.request(action, { pid })
      .then(() => { if (action === 'askToUnmute') toast(t('host.asked', { nick: this.meeting.people.get(pid)?.nick ?? '' })); })
      .catch((e) => toast(errorText(e)));
  }
}
