// The participant list beside the call: each person's initial, name and microphone and camera
// state, the host's mark, and for the host, Mute and Remove beside everyone else. It also keeps
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

export class PeoplePanel {
  /**
   * @param list the <ul> of people
   * @param counts the elements showing the head count: {badge, panel}
   */
  constructor({ list, counts }, meeting, connection) {
    this.list = list;
    this.counts = counts;
    this.meeting = meeting;
    this.connection = connection;
    // Lock and password changes show elsewhere (the room's state); everything else shows here.
    meeting.addEventListener('change', ({ detail }) => { if (detail.what !== 'settings') this.render(); });
    document.addEventListener('languagechange', () => this.render());
  }

  render() {
    const { people, hostPid } = this.meeting;
    const me = this.connection.pid;
    this.list.replaceChildren(...[...people].map(([pid, p]) => this.#item(pid, p, pid === hostPid, me === hostPid && pid !== me)));
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
    if (isHost) {
      const mark = document.createElement('span');
      mark.className = 'host-mark';
      mark.textContent = t('room.host');
      li.append(mark);
    }
    li.append(state);
    if (canAct) li.append(this.#hostActions(pid, p.nick));
    return li;
  }

  #hostActions(pid, who) {
    const actions = document.createElement('span');
    actions.className = 'person-actions';
    for (const { type, text, label } of HOST_ACTIONS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'ghost';
      button.textContent = t(text);
      button.setAttribute('aria-label', t(label, { nick: who }));
      button.addEventListener('click', () => this.connection.request(type, { pid }).catch((e) => toast(errorText(e))));
      actions.append(button);
    }
    return actions;
  }
}
