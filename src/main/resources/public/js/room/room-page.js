// The room page at /r/{room}: a pre-join card, then the meeting (participants and chat).
// After a dropped connection it rejoins the room by itself and sends what was queued.

import { Connection } from '../signal/connection.js';
import { t, errorText, translatePage, languageSwitch } from '../i18n/i18n.js';
import { showStatus } from '../web/status.js';
import * as names from '../web/names.js';
import { ChatLog, Outbox } from './chat.js';

const $ = (id) => document.getElementById(id);
const DEFAULT_LIMITS = { maxNicknameLength: 32, maxRoomNameLength: 64, maxChatLength: 2000 };

let room = names.roomName(decodeURIComponent(location.pathname.replace(/^\/r\//, '')));
let nick = names.savedNickname();
let wantIn = false;
const people = new Map();

const connection = new Connection();
const limits = () => connection.limits ?? DEFAULT_LIMITS;
const log = new ChatLog($('chat-log'), $('chat-empty'));
const outbox = new Outbox(connection, log, limits);

translatePage();
languageSwitch($('language'));
$('nickname').value = nick;
renderTitle();

function renderTitle() {
  $('room-title').textContent = room;
  document.title = `${t('room.title', { room })} · ${t('app.name')}`;
}

function show(view) {
  for (const id of ['prejoin', 'meeting', 'left']) $(id).hidden = id !== view;
  $('leave').hidden = view !== 'meeting';
  $('head-count').hidden = view !== 'meeting';
}

function renderPeople() {
  const items = [...people.entries()].map(([pid, name]) => {
    const li = document.createElement('li');
    li.className = 'person';
    const avatar = document.createElement('span');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    avatar.textContent = [...name][0]?.toUpperCase() ?? '?';
    const label = document.createElement('span');
    label.textContent = pid === connection.pid ? `${name} ${t('room.you')}` : name;
    li.append(avatar, label);
    return li;
  });
  $('people').replaceChildren(...items);
  $('head-count').textContent = t('room.count', { count: people.size });
}

async function join() {
  const error = $('prejoin-error');
  error.hidden = true;
  const wanted = names.nickname($('nickname').value);
  if (!names.isValidNickname(wanted, limits().maxNicknameLength)) {
    error.textContent = t('error.invalid_nickname', { max: limits().maxNicknameLength });
    error.hidden = false;
    $('nickname').focus();
    return;
  }
  nick = wanted;
  names.saveNickname(nick);
  wantIn = true;
  if (connection.ready) await enter(false);
  else $('join').textContent = t('room.joining');
}

/** Sends the join request; used for the first join and again after every reconnect. */
async function enter(rejoin) {
  try {
    const ack = await connection.request('join', { room, nick });
    $('join').textContent = t('room.join');
    room = ack.room;
    nick = ack.you.nick;
    if (location.pathname !== names.roomPath(room)) history.replaceState(null, '', names.roomPath(room));
    renderTitle();
    people.clear();
    for (const p of ack.participants) people.set(p.pid, p.nick);
    renderPeople();
    show('meeting');
    if (rejoin) showStatus('ready', 'status.rejoined');
    else {
      log.notice('presence.youJoined', { nick, count: ack.count });
      $('message').focus();
    }
    outbox.setOnline(true);
  } catch (error) {
    if (error.code === 'disconnected') return; // the next "ready" tries again
    wantIn = false;
    show('prejoin');
    $('join').textContent = t('room.join');
    $('prejoin-error').textContent = errorText(error, {
      max: error.code === 'invalid_room' ? limits().maxRoomNameLength : limits().maxNicknameLength,
    });
    $('prejoin-error').hidden = false;
  }
}

async function leave() {
  wantIn = false;
  outbox.setOnline(false);
  show('left');
  try {
    await connection.request('leave');
  } catch {
    // Leaving while disconnected: the server already dropped us.
  }
}

connection.on('state', ({ state, reconnected }) => {
  if (state !== 'ready') {
    outbox.setOnline(false);
    showStatus(state);
    return;
  }
  if (wantIn) enter(reconnected);
  else showStatus('ready', reconnected ? 'status.reconnected' : null);
});

connection.on('joined', ({ pid, nick: who, count }) => {
  people.set(pid, who);
  renderPeople();
  log.notice('presence.joined', { nick: who, count });
});

connection.on('left', ({ pid, nick: who, count }) => {
  people.delete(pid);
  renderPeople();
  log.notice('presence.left', { nick: who, count });
});

connection.on('renamed', ({ pid, oldNick, nick: who }) => {
  people.set(pid, who);
  renderPeople();
  log.notice('presence.renamed', { oldNick, nick: who });
});

connection.on('chat', ({ nick: who, text, ts }) => log.theirs(who, text, ts));

$('prejoin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  join();
});

$('chat-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $('message');
  const text = input.value;
  if (!text.trim()) return;
  if ([...text].length > limits().maxChatLength) {
    log.notice('error.message_too_long', { max: limits().maxChatLength });
    return;
  }
  input.value = '';
  outbox.send(text);
});

$('leave').addEventListener('click', leave);
$('rejoin').addEventListener('click', join);

$('copy-link').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(location.href);
    toast(t('room.copied'));
  } catch {
    toast(location.href);
  }
});

const dialog = $('rename-dialog');
$('rename').addEventListener('click', () => {
  $('new-nickname').value = nick;
  $('rename-error').hidden = true;
  dialog.showModal();
});
$('rename-cancel').addEventListener('click', () => dialog.close());
$('rename-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const wanted = names.nickname($('new-nickname').value);
  try {
    const ack = await connection.request('rename', { nick: wanted });
    nick = ack.nick;
    names.saveNickname(wanted);
    people.set(connection.pid, nick);
    renderPeople();
    log.notice('presence.youRenamed', { nick });
    dialog.close();
  } catch (error) {
    $('rename-error').textContent = errorText(error, { max: limits().maxNicknameLength });
    $('rename-error').hidden = false;
  }
});

let toastTimer = null;
function toast(text) {
  const el = $('toast');
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 2500);
}

document.addEventListener('languagechange', () => {
  renderTitle();
  renderPeople();
});

show('prejoin');
connection.start();
