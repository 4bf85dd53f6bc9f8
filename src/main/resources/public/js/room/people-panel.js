// The participant list beside the call: each person's initial, name and microphone and camera
// state, the host's mark, raised hands first in the order they went up (with their place), then
// whoever is speaking, then everyone else; a search by name once the room is big enough; and
// for the host, beside everyone else: Lower hand, Ask to unmute, Mute and Remove. It also keeps
// the head counts (the badge in the top bar and the panel's). It renders from the meeting's
// changes, and again when the language changes.

import { t, errorText } from '../i18n/i18n.js';
import { icon } from '../web/icons.js';
import { toast } from '../web/toast.js';

// Host actions: the request, the button's text and its accessible name (which names the person).
const HOST_ACTIONS = [
  { type: 'muteParticipant', text: 'controls.mute', label: 'room.muteOther' },
  { type: 'removeParticipant', text: 'room.remove', label: 'room.removeOther' },
];

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
    // Lock and password changes show elsewhere (the room's state); everything else shows here.
    meeting.addEventListener('change', ({ detail }) => { if (detail.what !== 'settings') this.render(); });
    this.list.addEventListener('click', (e) => this.#act(e.target.closest('button[data-action]')));
    document.addEventListener('languagechange', () => this.render());
  }

  render() {
    const { people, hostPid, hands, speaking } = this.meeting;
    const me = this.connection.pid;
    // Hands first, in their order; then who speaks; then everyone else in the order they came.
    const handsUp = hands.filter((pid) => people.has(pid));
    const speakers = [...people.keys()].filter((pid) => speaking.has(pid) && !hands.includes(pid));
    const rest = [...people.keys()].filter((pid) => !hands.includes(pid) && !speaking.has(pid));
    this.search.closest('.people-search').hidden = people.size < SEARCH_FROM;
    const query = people.size < SEARCH_FROM ? '' : this.search.value.trim().toLocaleLowerCase();
    const order = [...handsUp, ...speakers, ...rest].filter((pid) => !query || people.get(pid).nick.toLocaleLowerCase().includes(query));
    this.list.replaceChildren(...order.map((pid) => this.#item(pid, people.get(pid), pid === hostPid, me === hostPid && pid !== me)));
    this.counts.badge.textContent = t('room.count', { count: people.size });
    this.counts.panel.textContent = String(people.size);
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
    if (this.meeting.speaking.has(pid)) li.classList.add('speaking');
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
    const extra = [];
    if (handUp) extra.push({ type: 'lowerHand', text: 'hand.lowerOther', label: 'hand.lowerOtherLabel' });
    if (!person.media?.audio) extra.push({ type: 'askToUnmute', text: 'host.ask', label: 'host.askLabel' });
    for (const { type, text, label } of [...extra, ...HOST_ACTIONS]) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'ghost';
      button.textContent = t(text);
      button.setAttribute('aria-label', t(label, { nick: person.nick }));
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
