// The room page at /r/{room}: the pre-join screen (preview, devices, nickname), then the call:
// video tiles, participants, chat and controls. After a dropped connection it rejoins the room by
// itself, rebuilds the calls and sends what was queued.

import { Connection } from '../signal/connection.js';
import { t, errorText, translatePage, languageSwitch } from '../i18n/i18n.js';
import { showStatus, showWarning } from '../web/status.js';
import * as names from '../web/names.js';
import { LocalMedia } from '../media/local-media.js';
import { createTransport, prepare, joinOffer } from '../media/transport.js';
import { ChatLog, Outbox } from './chat.js';
import { Stage } from './stage.js';
import { DevicesPanel } from './devices-panel.js';
import { watchSpeaking } from './speaking.js';
import { icon } from '../web/icons.js';

const $ = (id) => document.getElementById(id);
const DEFAULT_LIMITS = { maxNicknameLength: 32, maxRoomNameLength: 64, maxChatLength: 2000, maxParticipants: 6 };

let room = names.roomName(decodeURIComponent(location.pathname.replace(/^\/r\//, '')));
let nick = names.savedNickname();
let wantIn = false;
let transport = null;
let hostPid = null;
let locked = false;
let hasPassword = false;
// A ticket from our last join lets us back in after a dropped connection even if the room has
// been locked or given a password since.
const ticketKey = () => `myzoom.ticket.${room}`;
let stopSpeaking = () => {};
const people = new Map(); // pid -> { nick, media }

const connection = new Connection();
const limits = () => connection.limits ?? DEFAULT_LIMITS;
const media = new LocalMedia();
const log = new ChatLog($('chat-log'), $('chat-empty'));
const outbox = new Outbox(connection, log, limits);
const stage = new Stage($('stage'), $('audio-shelf'));
const devices = new DevicesPanel($('devices'), media);
// For tests and the curious: the live objects of this page.
window.myzoom = { connection, media, metrics: {}, get transport() { return transport; } };

translatePage();
languageSwitch($('language'));
$('nickname').value = nick;
renderTitle();
renderControls();

function renderTitle() {
  $('room-title').textContent = room;
  document.title = `${t('room.title', { room })} · ${t('app.name')}`;
}

function show(view) {
  for (const id of ['prejoin', 'meeting', 'left']) $(id).hidden = id !== view;
  $('head-count').hidden = view !== 'meeting';
  renderPreview();
  renderRoomState();
}

// The preview plays only while it can be seen: a hidden <video> still costs the page work.
function renderPreview() {
  const visible = !$('prejoin').hidden && media.camera;
  const current = $('preview').srcObject?.getVideoTracks()[0];
  if (visible && current !== media.camera) $('preview').srcObject = new MediaStream([media.camera]);
  else if (!visible && current) $('preview').srcObject = null;
  $('preview-off').hidden = !!media.camera;
}

// ---- local media and the pre-join screen

function renderControls() {
  const s = media.state;
  const micLabel = t(media.micOn ? 'controls.mute' : 'controls.unmute');
  const camLabel = t(media.cameraOn ? 'controls.stopVideo' : 'controls.startVideo');
  for (const [id, label, on] of [['mic', micLabel, media.micOn], ['pre-mic', micLabel, media.micOn],
    ['cam', camLabel, media.cameraOn], ['pre-cam', camLabel, media.cameraOn]]) {
    $(id).textContent = label;
    $(id).classList.toggle('off', !on);
  }
  $('mic').disabled = $('pre-mic').disabled = !media.mic;
  $('share').textContent = t(s.screen ? 'controls.stopShare' : 'controls.share');
  $('share').classList.toggle('active', s.screen);
  $('share').hidden = !navigator.mediaDevices?.getDisplayMedia;
  renderPreview();
  const problem = $('media-problem');
  problem.hidden = !media.problem;
  if (media.problem) problem.textContent = t(`media.${media.problem}`);
}

let lastTracks = {};
media.addEventListener('change', () => {
  renderControls();
  const tracks = localTracks();
  for (const slot of Object.keys(tracks)) {
    if (tracks[slot] !== lastTracks[slot]) transport?.setTrack(slot, tracks[slot]);
  }
  lastTracks = tracks;
  if (connection.pid && people.has(connection.pid)) {
    const me = people.get(connection.pid);
    me.media = media.state;
    stage.upsert(connection.pid, { media: me.media });
    stage.setTrack(connection.pid, 'camera', media.camera);
    stage.setTrack(connection.pid, 'screen', media.screen);
    if (wantIn) connection.request('media', media.state).catch(() => {});
  }
  stage.setSpeaker(media.speakerId);
});

function localTracks() {
  return { audio: media.mic, camera: media.camera, screen: media.screen };
}

async function startMedia() {
  if (!navigator.mediaDevices?.getUserMedia) {
    media.problem = 'failed';
    renderControls();
    return;
  }
  await media.start();
  await devices.refresh();
}

// ---- joining and leaving

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
  window.myzoom.metrics = { joinClickedAt: performance.now() };
  // Marks for the join benchmark (bench/JoinToFirstFrameBenchmark), which reads each phase.
  performance.clearMarks();
  performance.mark('join-clicked');
  nick = wanted;
  names.saveNickname(nick);
  wantIn = true;
  $('join').textContent = t('room.joining');
  $('join').disabled = true;
  if (connection.ready) await enter(false);
}

/** This browser's id, so that the server can keep out, for a minute, someone the administrator removed. */
function clientId() {
  let id = localStorage.getItem('myzoom.client');
  if (!id) {
    id = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
    localStorage.setItem('myzoom.client', id);
  }
  return id;
}

/** Sends the join request and starts the calls; used at first and after every reconnect. */
async function enter(rejoin) {
  try {
    const password = $('password-field').hidden ? undefined : $('room-password').value;
    const ticket = sessionStorage.getItem(ticketKey()) ?? undefined;
    const ack = await connection.request('join', { room, nick, media: media.state, password, ticket, clientId: clientId(),
      offer: joinOffer(), ...(names.isUnlisted(room) ? { unlisted: true } : {}) });
    performance.mark('join-acked');
    hostPid = ack.host;
    locked = ack.locked;
    hasPassword = ack.hasPassword;
    room = ack.room;
    nick = ack.you.nick;
    startCall(ack);
    sessionStorage.setItem(ticketKey(), ack.ticket);
    renderRoomState();
    if (location.pathname !== names.roomPath(room)) history.replaceState(null, '', names.roomPath(room));
    renderTitle();
    await untilConnected(REVEAL_WAIT_MS);
    $('join').textContent = t('room.join');
    $('join').disabled = false;
    show('meeting');
    devices.moveTo($('settings-devices'), null);
    if (rejoin) showStatus('ready', 'status.rejoined');
    else log.notice('presence.youJoined', { nick, count: ack.count });
    outbox.setOnline(true);
  } catch (error) {
    if (error.code === 'disconnected') return; // the next "ready" tries again
    wantIn = false;
    show('prejoin');
    $('join').textContent = t('room.join');
    $('join').disabled = false;
    if (error.code === 'password_required' || error.code === 'wrong_password') {
      $('password-field').hidden = false;
      $('room-password').focus();
    }
    const max = { room_full: limits().maxParticipants, invalid_room: limits().maxRoomNameLength };
    $('prejoin-error').textContent = errorText(error, { max: max[error.code] ?? limits().maxNicknameLength });
    $('prejoin-error').hidden = false;
  }
}

function startCall(ack) {
  endCall();
  people.clear();
  for (const p of ack.participants) people.set(p.pid, { nick: p.nick, media: p.media });
  // The calls start before any of the page is laid out: the offers go out first.
  transport = createTransport(ack.call, connection, localTracks);
  lastTracks = localTracks();
  transport.addEventListener('track', ({ detail: { pid, slot, track } }) => {
    if (!people.has(pid)) return;
    stage.setTrack(pid, slot, track);
    if (slot === 'camera') noteFirstFrame(pid);
  });
  transport.addEventListener('relayerror', () => showWarning('call.relayUnreachable'));
  transport.start(ack);
  window.myzoom.metrics.offeredWithJoin = Boolean(ack.offeredTo);
  // The camera may have come up while the join was on its way: tell the room how things are now.
  const me = people.get(connection.pid);
  if (JSON.stringify(me.media) !== JSON.stringify(media.state)) {
    me.media = media.state;
    connection.request('media', media.state).catch(() => {});
  }
  for (const [pid, p] of people) stage.upsert(pid, { ...p, self: pid === connection.pid });
  stage.setTrack(connection.pid, 'camera', media.camera);
  stage.setTrack(connection.pid, 'screen', media.screen);
  stopSpeaking = watchSpeaking(transport, () => connection.pid, (pid, on) => stage.setSpeaking(pid, on));
  renderPeople();
}

// Laying out the call view is the heaviest thing the page does, and doing it while the calls
// are being negotiated slows them down (the browser's main thread carries the signaling). So the
// pre-join screen says "Joining…" until the calls are up, for a moment at most.
const REVEAL_WAIT_MS = 1500;

/** Waits until the calls (or the call with {@code pid}) are connected or have failed, at most maxMs. */
function untilConnected(maxMs, pid) {
  const pending = () => (pid === undefined ? [...people.keys()] : [pid]).some((p) => {
    const state = transport?.stateOf(p);
    return state !== undefined && !['connected', 'failed', 'closed'].includes(state);
  });
  if (!pending()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      transport?.removeEventListener('state', check);
      resolve();
    };
    const check = () => { if (!pending()) done(); };
    const timer = setTimeout(done, maxMs);
    transport.addEventListener('state', check);
  });
}

function endCall() {
  stopSpeaking();
  transport?.close();
  transport = null;
  stage.clear();
}

function noteFirstFrame(pid) {
  const video = stage.videoOf(pid);
  const metrics = window.myzoom.metrics;
  if (!video?.requestVideoFrameCallback || metrics.firstRemoteFrameAt) return;
  video.requestVideoFrameCallback(() => {
    if (!metrics.firstRemoteFrameAt) {
      metrics.firstRemoteFrameAt = performance.now();
      performance.mark('first-frame');
    }
  });
}

async function leave() {
  wantIn = false;
  $('left-title').textContent = t('room.left');
  outbox.setOnline(false);
  endCall();
  media.stop();
  show('left');
  try {
    await connection.request('leave');
  } catch {
    // Leaving while disconnected: the server already dropped us.
  }
}

async function rejoin() {
  show('prejoin');
  devices.moveTo($('prejoin-form'), $('prejoin-error'));
  await startMedia();
  await join();
}

// ---- people and presence

function renderPeople() {
  const items = [...people.entries()].map(([pid, p]) => {
    const li = document.createElement('li');
    li.className = 'person';
    const avatar = document.createElement('span');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    avatar.textContent = [...p.nick][0]?.toUpperCase() ?? '?';
    const label = document.createElement('span');
    label.className = 'person-name';
    label.textContent = pid === connection.pid ? `${p.nick} ${t('room.you')}` : p.nick;
    const state = document.createElement('span');
    state.className = 'person-state';
    state.replaceChildren(icon(p.media?.audio ? 'mic' : 'micOff'), ...(p.media?.video ? [] : [icon('camOff')]));
    state.setAttribute('aria-label', `${t(p.media?.audio ? 'tile.micOn' : 'tile.micOff')}, ${t(p.media?.video ? 'tile.camOn' : 'tile.camOff')}`);
    li.append(avatar, label);
    if (pid === hostPid) {
      const mark = document.createElement('span');
      mark.className = 'host-mark';
      mark.textContent = t('room.host');
      li.append(mark);
    }
    li.append(state);
    if (connection.pid === hostPid && pid !== connection.pid) li.append(hostActions(pid, p.nick));
    return li;
  });
  $('people').replaceChildren(...items);
  const count = t('room.count', { count: people.size });
  $('head-count').textContent = count;
  $('people-count').textContent = String(people.size);
}

function hostActions(pid, who) {
  const actions = document.createElement('span');
  actions.className = 'person-actions';
  for (const [key, type] of [['controls.mute', 'muteParticipant'], ['room.removeOther', 'removeParticipant']]) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'ghost';
    button.textContent = t(key === 'controls.mute' ? 'controls.mute' : 'room.remove');
    button.setAttribute('aria-label', t(key === 'controls.mute' ? 'room.muteOther' : 'room.removeOther', { nick: who }));
    button.addEventListener('click', () => connection.request(type, { pid }).catch((e) => toast(errorText(e))));
    actions.append(button);
  }
  return actions;
}

function renderRoomState() {
  const amHost = connection.pid === hostPid;
  $('host-tools').hidden = !amHost;
  $('lock').textContent = t(locked ? 'room.unlock' : 'room.lock');
  $('locked-badge').hidden = !(locked || hasPassword) || $('meeting').hidden;
  $('locked-badge').replaceChildren(icon(locked ? 'lock' : 'key'), t(locked ? 'room.locked' : 'room.hasPassword'));
}

connection.on('host', ({ pid }) => {
  hostPid = pid;
  renderRoomState();
  renderPeople();
  log.notice(pid === connection.pid ? 'room.youHost' : 'room.hostIs', { nick: people.get(pid)?.nick ?? '' });
});

connection.on('settings', (settings) => {
  if (settings.locked !== locked) log.notice(settings.locked ? 'room.lockedNotice' : 'room.unlockedNotice');
  if (settings.hasPassword !== hasPassword) log.notice(settings.hasPassword ? 'room.passwordSet' : 'room.passwordRemoved');
  locked = settings.locked;
  hasPassword = settings.hasPassword;
  renderRoomState();
});

connection.on('mutedByHost', () => {
  media.setMic(false);
  toast(t('room.mutedByHost'));
  log.notice('room.mutedByHost');
});

connection.on('removed', ({ by, reason }) => {
  wantIn = false;
  outbox.setOnline(false);
  endCall();
  media.stop();
  sessionStorage.removeItem(ticketKey());
  show('left');
  const why = by !== 'admin' ? 'room.removedByHost' : reason === 'closed' ? 'room.closedByAdmin' : 'room.removedByAdmin';
  $('left-title').textContent = t(why);
});

connection.on('notice', ({ text }) => {
  log.notice('chat.adminNotice', { text });
  toast(t('chat.adminNotice', { text }));
});

connection.on('state', ({ state, reconnected }) => {
  if (state !== 'ready') {
    outbox.setOnline(false);
    if (transport) endCall();
    showStatus(state);
    return;
  }
  media.setMaxHeight(connection.limits.maxVideoHeight);
  // In a room, "back in the room" is said once the rejoin has worked.
  showStatus('ready', reconnected && !wantIn ? 'status.reconnected' : null);
  if (wantIn) enter(reconnected);
});

// How long a newcomer's tile may wait for the call with them (it takes tens of ms).
const CALL_FIRST_MAX_MS = 500;

connection.on('joined', ({ pid, nick: who, media: theirs, count, offer }) => {
  people.set(pid, { nick: who, media: theirs });
  const show = () => {
    if (!people.has(pid)) return;
    stage.upsert(pid, people.get(pid));
    noteFirstFrame(pid);
    renderPeople();
    log.notice('presence.joined', { nick: who, count });
    toast(t('toast.joined', { nick: who }));
  };
  // The newcomer's first offer may come with the news. The call comes first: the browser lays out
  // whatever the page changed before it runs the next step of the call (the answer, then each
  // candidate), and the newcomer's first picture would wait for that. Their tracks wait in the
  // stage for the tile.
  // The transport hears the same event after this handler: it has taken the offer up by the time
  // a microtask has passed.
  if (offer && transport) {
    Promise.resolve().then(() => untilConnected(CALL_FIRST_MAX_MS, pid)).then(show);
  } else {
    show();
  }
});

connection.on('left', ({ pid, nick: who, count, reason }) => {
  people.delete(pid);
  transport?.remove(pid);
  stage.remove(pid);
  renderPeople();
  log.notice(reason === 'removed' ? 'presence.removed' : 'presence.left', { nick: who, count });
  toast(t(reason === 'removed' ? 'toast.removed' : 'toast.left', { nick: who }));
});

connection.on('renamed', ({ pid, oldNick, nick: who }) => {
  const p = people.get(pid);
  if (p) p.nick = who;
  stage.upsert(pid, { nick: who });
  renderPeople();
  log.notice('presence.renamed', { oldNick, nick: who });
});

connection.on('media', ({ pid, audio, video, screen }) => {
  const p = people.get(pid);
  if (!p) return;
  p.media = { audio, video, screen };
  stage.upsert(pid, { media: p.media });
  renderPeople();
});

connection.on('chat', ({ nick: who, text, ts, msgId }) => log.theirs(who, text, ts, msgId));

connection.on('history', ({ messages, unavailable }) => {
  if (unavailable) {
    log.notice('chat.historyUnavailable');
    return;
  }
  log.stored(messages, connection.pid);
  $('older').hidden = messages.length === 0;
});

$('older').addEventListener('click', async () => {
  const before = log.oldestId();
  if (before === null) return;
  try {
    const { messages, more } = await connection.request('history', { before, limit: 50 });
    log.stored(messages, connection.pid);
    // A reply is capped in bytes too, so fewer lines than asked does not mean the start.
    if (!more) {
      $('older').hidden = true;
      log.notice('chat.start');
    }
  } catch (error) {
    toast(errorText(error));
  }
});

// ---- controls

async function toggleMic() {
  media.setMic(!media.micOn);
}

async function toggleCamera() {
  await media.setCamera(!media.cameraOn);
}

async function toggleShare() {
  if (media.screen) {
    media.stopScreen();
    return;
  }
  try {
    await media.startScreen();
  } catch {
    toast(t('controls.shareFailed'));
  }
}

$('pre-mic').addEventListener('click', toggleMic);
$('pre-cam').addEventListener('click', toggleCamera);
$('mic').addEventListener('click', toggleMic);
$('cam').addEventListener('click', toggleCamera);
$('share').addEventListener('click', toggleShare);
$('leave').addEventListener('click', leave);
$('rejoin').addEventListener('click', rejoin);
$('lock').addEventListener('click', () => connection.request('lock', { locked: !locked }).catch((e) => toast(errorText(e))));
const passwordDialog = $('password-dialog');
$('set-password').addEventListener('click', () => {
  $('new-password').value = '';
  $('password-error').hidden = true;
  passwordDialog.showModal();
});
$('password-cancel').addEventListener('click', () => passwordDialog.close());
$('password-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    await connection.request('setPassword', { password: $('new-password').value });
    passwordDialog.close();
  } catch (error) {
    $('password-error').textContent = errorText(error);
    $('password-error').hidden = false;
  }
});

$('settings').addEventListener('click', () => {
  devices.refresh();
  $('settings-dialog').showModal();
});
$('settings-close').addEventListener('click', () => $('settings-dialog').close());
function setSideOpen(open) {
  $('meeting').classList.toggle('side-closed', !open);
  $('toggle-side').setAttribute('aria-expanded', String(open));
}
$('toggle-side').addEventListener('click', () => setSideOpen($('meeting').classList.contains('side-closed')));

document.addEventListener('keydown', (e) => {
  if ($('meeting').hidden || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.target.closest('input, textarea, select, dialog[open]')) return;
  const key = e.key.toLowerCase();
  if (key === 'm' && !e.shiftKey) toggleMic();
  else if (key === 'v' && !e.shiftKey) toggleCamera();
  else if (key === 's' && !e.shiftKey) toggleShare();
  else if (key === 'l' && e.shiftKey) leave();
  else return;
  e.preventDefault();
});

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

$('copy-link').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(location.href);
    toast(t('room.copied'));
  } catch {
    toast(location.href);
  }
});

const renameDialog = $('rename-dialog');
$('rename').addEventListener('click', () => {
  $('new-nickname').value = nick;
  $('rename-error').hidden = true;
  renameDialog.showModal();
});
$('rename-cancel').addEventListener('click', () => renameDialog.close());
$('rename-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const wanted = names.nickname($('new-nickname').value);
  try {
    const ack = await connection.request('rename', { nick: wanted });
    nick = ack.nick;
    names.saveNickname(wanted);
    const me = people.get(connection.pid);
    if (me) me.nick = nick;
    stage.upsert(connection.pid, { nick });
    renderPeople();
    log.notice('presence.youRenamed', { nick });
    renameDialog.close();
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
  renderControls();
  renderRoomState();
});

window.addEventListener('pagehide', () => {
  transport?.close();
  media.stop();
});

show('prejoin');
// On a narrow screen the side panel covers the video, so it starts closed.
if (matchMedia('(max-width: 1000px)').matches) setSideOpen(false);
connection.start();
// The welcome says how large video may be; wait a moment for it before opening the camera.
const welcomed = new Promise((resolve) => connection.on('state', ({ state }) => state === 'ready' && resolve()));
Promise.race([welcomed, new Promise((resolve) => setTimeout(resolve, 1500))]).then(() => {
  if (connection.limits) media.setMaxHeight(connection.limits.maxVideoHeight);
  startMedia().then(() => prepare({ call: () => connection.call, tracks: localTracks, wanted: () => !wantIn }));
});
