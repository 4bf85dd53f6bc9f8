// The room page at /r/{room}: the pre-join screen (preview, devices, nickname), then the call:
// video tiles, participants, chat and controls. After a dropped connection it rejoins the room by
// itself, rebuilds the calls and sends what was queued.
//
// This file is the wiring: it makes the parts, joins and leaves, and turns the server's news
// into changes of the meeting (meeting.js), from which the people panel and the call session
// render. The parts: call.js (the calls and tiles), people-panel.js, controls.js, chat-panel.js,
// room-dialogs.js.

import { Connection } from '../signal/connection.js';
import { t, errorText, translatePage, languageSwitch } from '../i18n/i18n.js';
import { showStatus } from '../web/status.js';
import { toast } from '../web/toast.js';
import { icon } from '../web/icons.js';
import * as names from '../web/names.js';
import { LocalMedia } from '../media/local-media.js';
import { prepare, joinOffer } from '../media/transport.js';
import { ChatLog, Outbox } from './chat.js';
import { Stage } from './stage.js';
import { Layout } from './layout.js';
import { ViewControls, savedView } from './view-controls.js';
import { DevicesPanel } from './devices-panel.js';
import { Meeting } from './meeting.js';
import { CallSession } from './call.js';
import { PeoplePanel } from './people-panel.js';
import { Controls } from './controls.js';
import { wireChat } from './chat-panel.js';
import { renameDialog, passwordDialog } from './room-dialogs.js';
import { HandsAndReactions } from './hands-and-reactions.js';
import { HostTools } from './host-tools.js';
import { Recording } from './recording.js';

const $ = (id) => document.getElementById(id);
const DEFAULT_LIMITS = { maxNicknameLength: 32, maxRoomNameLength: 64, maxChatLength: 2000, maxParticipants: 6 };

const meeting = new Meeting(names.roomName(decodeURIComponent(location.pathname.replace(/^\/r\//, ''))), names.savedNickname());
// A ticket from our last join lets us back in after a dropped connection even if the room has
// been locked or given a password since.
const ticketKey = () => `myzoom.ticket.${meeting.room}`;

const connection = new Connection();
const limits = () => connection.limits ?? DEFAULT_LIMITS;
const media = new LocalMedia();
const log = new ChatLog($('chat-log'), $('chat-empty'));
const outbox = new Outbox(connection, log, limits);
const stage = new Stage($('stage'), $('audio-shelf'), new Layout(savedView()));
new ViewControls({ toggle: $('view-toggle'), pager: $('pager'), prev: $('page-prev'), label: $('page-label'),
  next: $('page-next'), pageSize: $('page-size') }, stage);
const devices = new DevicesPanel($('devices'), media);
const controls = new Controls({ media, devices, leave, mayTurnMicOn: () => meeting.mayTurnMicOn(connection.pid),
  micRefused: () => toast(t('error.mic_locked')) });
const call = new CallSession({ connection, media, stage, meeting, metrics: () => window.myzoom.metrics });
new PeoplePanel({ list: $('people'), search: $('people-search'), counts: { badge: $('head-count'), panel: $('people-count') } }, meeting, connection);
new HandsAndReactions({ hand: $('hand'), react: $('react'), menu: $('reactions') }, meeting, connection, stage);
new HostTools({ muteAll: $('mute-all'), allowUnmute: $('allow-unmute'), dialog: $('unmute-dialog') }, meeting, connection, media);
const recording = new Recording({ button: $('record'), badge: $('rec-badge'), prejoin: $('prejoin-recording'), status: $('rec-status') },
  meeting, connection, log);
recording.watchBeforeJoining(() => !$('prejoin').hidden);
wireChat({ connection, log, outbox, limits });
renameDialog({ connection, meeting, log, limits });
passwordDialog({ connection });
// For tests and the curious: the live objects of this page.
window.myzoom = { connection, media, meeting, stage, metrics: {}, get transport() { return call.transport; } };

translatePage();
languageSwitch($('language'));
$('nickname').value = meeting.nick;
renderTitle();
controls.render();

function renderTitle() {
  $('room-title').textContent = meeting.room;
  document.title = `${t('room.title', { room: meeting.room })} · ${t('app.name')}`;
}

function show(view) {
  for (const id of ['prejoin', 'meeting', 'left']) $(id).hidden = id !== view;
  $('head-count').hidden = view !== 'meeting';
  controls.renderPreview();
  renderRoomState();
}

// The host's tools, and the badge that says the room is locked or has a password.
function renderRoomState() {
  const { locked, hasPassword } = meeting;
  $('host-tools').hidden = connection.pid !== meeting.hostPid;
  $('lock').textContent = t(locked ? 'room.unlock' : 'room.lock');
  $('locked-badge').hidden = !(locked || hasPassword) || $('meeting').hidden;
  $('locked-badge').replaceChildren(icon(locked ? 'lock' : 'key'), t(locked ? 'room.locked' : 'room.hasPassword'));
}

meeting.addEventListener('change', ({ detail: { what } }) => {
  if (['entered', 'host', 'settings'].includes(what)) renderRoomState();
  if (['entered', 'host'].includes(what)) recording.render();
  if (what === 'entered') renderTitle();
});

async function startMedia() {
  if (!navigator.mediaDevices?.getUserMedia) {
    media.problem = 'failed';
    controls.render();
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
  meeting.nick = wanted;
  names.saveNickname(wanted);
  meeting.wantIn = true;
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
    const { room, nick } = meeting;
    const password = $('password-field').hidden ? undefined : $('room-password').value;
    const ticket = sessionStorage.getItem(ticketKey()) ?? undefined;
    const ack = await connection.request('join', { room, nick, media: media.state, password, ticket, clientId: clientId(),
      offer: joinOffer(), ...(names.isUnlisted(room) ? { unlisted: true } : {}) });
    performance.mark('join-acked');
    // The calls start before any of the page is laid out: the offers go out first.
    call.start(ack);
    meeting.enter(ack, connection.pid, media.state);
    sessionStorage.setItem(ticketKey(), ack.ticket);
    if (location.pathname !== names.roomPath(meeting.room)) history.replaceState(null, '', names.roomPath(meeting.room));
    await call.untilCallsUp();
    $('join').textContent = t('room.join');
    $('join').disabled = false;
    show('meeting');
    devices.moveTo($('settings-devices'), null);
    if (rejoin) showStatus('ready', 'status.rejoined');
    else log.notice('presence.youJoined', { nick: meeting.nick, count: ack.count });
    outbox.setOnline(true);
  } catch (error) {
    if (error.code === 'disconnected') return; // the next "ready" tries again
    meeting.wantIn = false;
    show('prejoin');
    $('join').textContent = t('room.join');
    $('join').disabled = false;
    if (error.code === 'password_required' || error.code === 'wrong_password') {
      $('password-field').hidden = false;
      $('room-password').focus();
    }
    const max = { room_full: limits().maxParticipants, invalid_room: limits().maxRoomNameLength };
    const needsSfu = error.code === 'room_full' && connection.call?.sfu === false;
    $('prejoin-error').textContent = errorText(error, { max: max[error.code] ?? limits().maxNicknameLength })
      + (needsSfu ? ` ${t('error.needsMediaServer')}` : '');
    $('prejoin-error').hidden = false;
  }
}

/** Out of the room: by the Leave button, or removed ("left" then says why). */
function quit() {
  meeting.wantIn = false;
  outbox.setOnline(false);
  call.end();
  media.stop();
  show('left');
}

async function leave() {
  $('left-title').textContent = t('room.left');
  quit();
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

$('rejoin').addEventListener('click', rejoin);
$('prejoin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  join();
});
$('lock').addEventListener('click', () => connection.request('lock', { locked: !meeting.locked }).catch((e) => toast(errorText(e))));

// ---- the server's news

// While the connection is away the call goes on (its media does not pass through it). If the
// connection comes back as the same participant (resumed), the server has sent what was missed
// and nothing else is to be done; if it comes back as a new one, the call is ended and the room
// joined again.
connection.on('state', ({ state, reconnected, resumed }) => {
  if (state !== 'ready') {
    outbox.setOnline(false);
    showStatus(state);
    return;
  }
  media.setMaxHeight(connection.limits.maxVideoHeight);
  if (resumed && meeting.wantIn) {
    showStatus('ready', 'status.rejoined');
    outbox.setOnline(true);
    return;
  }
  if (call.active) call.end();
  // In a room, "back in the room" is said once the rejoin has worked.
  showStatus('ready', reconnected && !meeting.wantIn ? 'status.reconnected' : null);
  if (meeting.wantIn) enter(reconnected);
});

// A toast for each coming and going, as long as the room is small enough for that to be news:
// in a big room (whose news comes gathered, see connection.js) the chat's notices say it.
const BIG_ROOM = 10;
const toastPresence = (count) => count < BIG_ROOM;

connection.on('joined', ({ pid, nick, media: theirs, count, offer }) => {
  meeting.arrive(pid, { nick, media: theirs });
  const announce = () => {
    if (!meeting.people.has(pid)) return;
    meeting.announce(pid);
    log.notice('presence.joined', { nick, count });
    if (toastPresence(count)) toast(t('toast.joined', { nick }));
  };
  // The newcomer's first offer may come with the news, and the transport takes it. The call comes
  // first: the browser lays out whatever the page changed before it runs the next step of the
  // call (the answer, then each candidate), and the newcomer's first picture would wait for that.
  // Their tracks wait in the stage for the tile.
  if (offer && call.active) call.untilCallWith(pid).then(announce);
  else announce();
});

connection.on('left', ({ pid, nick, count, reason }) => {
  meeting.leave(pid);
  log.notice(reason === 'removed' ? 'presence.removed' : 'presence.left', { nick, count });
  if (toastPresence(count + 1)) toast(t(reason === 'removed' ? 'toast.removed' : 'toast.left', { nick }));
});

// The node that held the room died and another took it over, with everyone still connected in it
// again (the calls went on meanwhile): whoever is not in it now was on the node that died.
connection.on('rehomed', ({ participants, count, host, locked, hasPassword, hands, micsLocked }) => {
  const now = new Map(participants.map((p) => [p.pid, p]));
  for (const [pid, person] of [...meeting.people]) {
    if (pid === connection.pid || now.has(pid)) continue;
    meeting.leave(pid);
    log.notice('presence.left', { nick: person.nick, count });
  }
  for (const [pid, person] of now) {
    if (pid === connection.pid || meeting.people.has(pid)) continue;
    meeting.arrive(pid, { nick: person.nick, media: person.media });
    meeting.announce(pid);
  }
  meeting.setHost(host);
  meeting.setSettings({ locked, hasPassword, micsLocked });
  meeting.setHands(hands);
});

connection.on('renamed', ({ pid, oldNick, nick }) => {
  meeting.update(pid, { nick });
  log.notice('presence.renamed', { oldNick, nick });
});

connection.on('media', ({ pid, audio, video, screen }) => {
  if (meeting.people.has(pid)) meeting.update(pid, { media: { audio, video, screen } });
});

connection.on('host', ({ pid }) => {
  meeting.setHost(pid);
  log.notice(pid === connection.pid ? 'room.youHost' : 'room.hostIs', { nick: meeting.people.get(pid)?.nick ?? '' });
});

connection.on('settings', (settings) => {
  if (settings.locked !== meeting.locked) log.notice(settings.locked ? 'room.lockedNotice' : 'room.unlockedNotice');
  if (settings.hasPassword !== meeting.hasPassword) log.notice(settings.hasPassword ? 'room.passwordSet' : 'room.passwordRemoved');
  if (Boolean(settings.micsLocked) !== meeting.micsLocked) log.notice(settings.micsLocked ? 'room.mutedByHostLocked' : 'host.unmuteAllowed');
  meeting.setSettings(settings);
});

connection.on('mutedByHost', ({ locked }) => {
  media.setMic(false);
  const why = locked ? 'room.mutedByHostLocked' : 'room.mutedByHost';
  toast(t(why));
  log.notice(why);
});

connection.on('removed', ({ by, reason }) => {
  quit();
  sessionStorage.removeItem(ticketKey());
  const why = by !== 'admin' ? 'room.removedByHost' : reason === 'closed' ? 'room.closedByAdmin' : 'room.removedByAdmin';
  $('left-title').textContent = t(why);
});

connection.on('mode', ({ mode }) => log.notice(mode === 'sfu' ? 'call.toSfu' : 'call.toMesh'));
connection.on('sfuReset', () => log.notice('call.sfuLost'));

connection.on('notice', ({ text }) => {
  log.notice('chat.adminNotice', { text });
  toast(t('chat.adminNotice', { text }));
});

// ---- start

document.addEventListener('languagechange', () => {
  renderTitle();
  renderRoomState();
});

// A closed tab or a reload says goodbye (1000): without it the server would take the drop for
// a cut network and keep the person's tile for the resume window, which this page, gone, never uses.
window.addEventListener('pagehide', () => {
  try {
    call.end();
    media.stop();
  } finally {
    connection.stop();
  }
});

show('prejoin');
// On a narrow screen the side panel covers the video, so it starts closed.
if (matchMedia('(max-width: 1000px)').matches) controls.setSideOpen(false);
connection.start();
// The welcome says how large video may be; wait a moment for it before opening the camera.
const welcomed = new Promise((resolve) => connection.on('state', ({ state }) => state === 'ready' && resolve()));
Promise.race([welcomed, new Promise((resolve) => setTimeout(resolve, 1500))]).then(() => {
  if (connection.limits) media.setMaxHeight(connection.limits.maxVideoHeight);
  startMedia().then(() => prepare({ call: () => connection.call, tracks: () => call.tracks(), wanted: () => !meeting.wantIn }));
});
