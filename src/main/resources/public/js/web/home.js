// Home page: pick a nickname and a room, and watch the live list of open rooms.

import { Connection } from '../signal/connection.js';
import { t, translatePage, languageSwitch } from '../i18n/i18n.js';
import { showStatus } from './status.js';
import * as names from './names.js';
import { icon } from './icons.js';
import { randomRoomName } from './random-name.js';

const DEFAULT_LIMITS = { maxNicknameLength: 32, maxRoomNameLength: 64 };

const form = document.getElementById('join-form');
const nickInput = document.getElementById('nickname');
const roomInput = document.getElementById('room');
const listedInput = document.getElementById('listed');
const formError = document.getElementById('form-error');
const list = document.getElementById('room-list');
const empty = document.getElementById('no-rooms');

const rooms = new Map();
const connection = new Connection();

translatePage();
languageSwitch(document.getElementById('language'));
nickInput.value = names.savedNickname();
nickInput.addEventListener('input', () => names.saveNickname(names.nickname(nickInput.value)));

function limits() {
  return connection.limits ?? DEFAULT_LIMITS;
}

function showError(text, field) {
  formError.textContent = text;
  formError.hidden = false;
  field?.setAttribute('aria-invalid', 'true');
  field?.focus();
}

document.getElementById('random-room').addEventListener('click', () => {
  roomInput.value = randomRoomName();
  // A name nobody can guess is pointless in a public list.
  listedInput.checked = false;
  roomInput.focus();
});

form.addEventListener('submit', (e) => {
  e.preventDefault();
  formError.hidden = true;
  nickInput.removeAttribute('aria-invalid');
  roomInput.removeAttribute('aria-invalid');
  const nick = names.nickname(nickInput.value);
  const room = names.roomName(roomInput.value);
  if (!names.isValidNickname(nick, limits().maxNicknameLength)) {
    showError(t('error.invalid_nickname', { max: limits().maxNicknameLength }), nickInput);
    return;
  }
  if (!names.isValidRoomName(room, limits().maxRoomNameLength)) {
    showError(t('error.invalid_room', { max: limits().maxRoomNameLength }), roomInput);
    return;
  }
  names.saveNickname(nick);
  names.setUnlisted(room, !listedInput.checked);
  location.assign(names.roomPath(room));
});

function render() {
  const sorted = [...rooms.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
  list.replaceChildren(...sorted.map(([room, { count, locked }]) => {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = names.roomPath(room);
    link.className = 'room-link';
    const name = document.createElement('span');
    name.className = 'room-name';
    name.textContent = room;
    if (locked) {
      const lock = document.createElement('span');
      lock.className = 'badge locked room-lock';
      lock.replaceChildren(icon('lock'), t('home.lockedRoom'));
      name.append(lock);
    }
    const people = document.createElement('span');
    people.className = 'badge';
    people.textContent = t('home.people', { count });
    link.append(name, people);
    link.addEventListener('click', (e) => {
      const nick = names.nickname(nickInput.value);
      if (!names.isValidNickname(nick, limits().maxNicknameLength)) {
        e.preventDefault();
        showError(t('home.needNickname'), nickInput);
      }
    });
    item.append(link);
    return item;
  }));
  empty.hidden = rooms.size > 0;
}

connection.on('rooms', ({ changes }) => {
  for (const { room, count, locked } of changes) {
    if (count > 0) rooms.set(room, { count, locked });
    else rooms.delete(room);
  }
  render();
});

connection.on('state', async ({ state, reconnected }) => {
  showStatus(state, reconnected ? 'status.reconnected' : null);
  if (state !== 'ready') return;
  try {
    const ack = await connection.request('watchRooms');
    rooms.clear();
    for (const { room, count, locked } of ack.rooms) rooms.set(room, { count, locked });
    render();
  } catch {
    // The connection dropped again; the next "ready" asks anew.
  }
});

document.addEventListener('languagechange', render);
render();
connection.start();
