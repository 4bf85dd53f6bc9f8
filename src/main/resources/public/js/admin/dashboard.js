// The admin dashboard: polls /api/admin/state every two seconds and shows the cluster's totals,
// charts of the last minutes, the nodes, the rooms with their participants, and recent events.
// It also lists the rooms with a password (/api/admin/passwords) and the media servers
// (media-servers.js). Actions (kick, close a room,
// send a notice, clear a password) carry the session's CSRF token.

import { icon } from '../web/icons.js';
import { pollMediaServers } from './media-servers.js';
import { pollRecordings } from './recordings.js';

const POLL_MS = 2000;
const $ = (id) => document.getElementById(id);
let csrf = null;
let unreachable = false;
const roomCards = new Map();
const passwordRows = new Map();

async function poll() {
  let state;
  try {
    const response = await fetch('/api/admin/state', { cache: 'no-store' });
    if (response.status === 401) {
      location.assign('/admin/login');
      return;
    }
    state = await response.json();
  } catch {
    say('The server cannot be reached; retrying…', true);
    unreachable = true;
    return;
  }
  // Only the poll's own message goes when the server answers again: an action's outcome stays
  // until the next action, rather than vanishing with the refresh that follows it.
  if (unreachable) say(null);
  unreachable = false;
  csrf = state.csrf;
  render(state);
  await pollPasswords();
  await pollMediaServers(act);
  await pollRecordings(act);
}

function render(state) {
  for (const key of ['nodes', 'connections', 'rooms', 'participants']) $(`total-${key}`).textContent = state.totals[key];
  $('updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
  chart($('chart-participants'), state.samples.map((s) => s.participants), 'participants', 0);
  chart($('chart-messages'), state.samples.map((s) => s.messagesPerSecond), 'messages per second', 1);
  renderNodes(state.nodes, state.node);
  renderRooms(state.rooms);
  renderEvents(state.events, state.eventsUnavailable);
}

// A separate request, so that the panel's main view never waits on it or fails with it.
async function pollPasswords() {
  const response = await fetch('/api/admin/passwords', { cache: 'no-store' }).catch(() => null);
  if (!response?.ok) return;
  const { rooms } = await response.json();
  renderPasswords(rooms);
}

// Rows are kept from one poll to the next (and left in place while the order holds), so that a
// keyboard user's focus on a "Clear password" button survives the refresh.
function renderPasswords(rooms) {
  $('no-passwords').hidden = rooms.length > 0;
  $('passwords-table').hidden = rooms.length === 0;
  const listed = new Set(rooms.map((r) => r.room));
  for (const name of passwordRows.keys()) if (!listed.has(name)) passwordRows.delete(name);
  const rows = rooms.map((r) => {
    let entry = passwordRows.get(r.room);
    if (!entry) {
      entry = passwordRow(r.room);
      passwordRows.set(r.room, entry);
    }
    const text = r.open ? 'open' : `closed since ${when(r.closedSince)}`;
    if (entry.state.textContent !== text) {
      entry.state.replaceChildren(r.open ? pill(true, 'open', '') : text);
    }
    return entry.row;
  });
  const body = $('passwords');
  if (rows.length !== body.children.length || rows.some((tr, i) => body.children[i] !== tr)) body.replaceChildren(...rows);
}

function passwordRow(name) {
  const clear = button('Clear password', `Clear password of room ${name}`,
    () => act('clear-password', { room: name }, `Cleared the password of ${name}.`));
  clear.classList.add('danger');
  const state = document.createElement('span');
  const cell = document.createElement('td');
  cell.append(clear);
  const row = document.createElement('tr');
  const title = document.createElement('td');
  title.textContent = name;
  const stateCell = document.createElement('td');
  stateCell.append(state);
  row.append(title, stateCell, cell);
  return { row, state };
}

/** A time today as a time, an earlier one with its date. */
function when(ms) {
  const date = new Date(ms);
  return date.toDateString() === new Date().toDateString() ? date.toLocaleTimeString() : date.toLocaleString();
}

function renderNodes(nodes, here) {
  $('nodes').replaceChildren(...nodes.map((n) => row([
    n.node + (n.node === here ? ' (this one)' : ''), n.connections, n.rooms, n.participants])));
}

function renderRooms(rooms) {
  $('no-rooms').hidden = rooms.length > 0;
  const open = new Set(rooms.map((r) => r.room));
  for (const [name, card] of roomCards) {
    if (!open.has(name)) {
      card.element.remove();
      roomCards.delete(name);
    }
  }
  for (const room of rooms) {
    let card = roomCards.get(room.room);
    if (!card) {
      card = roomCard(room.room);
      roomCards.set(room.room, card);
    }
    $('rooms').append(card.element); // keeps the order of the list
    card.title.replaceChildren(room.room, ...(room.locked ? [lockMark()] : []));
    card.meta.textContent = `${room.participants.length} ${room.participants.length === 1 ? 'person' : 'people'} · held on ${room.home}`
      + ` · ${callMode(room)}`;
    card.people.replaceChildren(...room.participants.map((p) => {
      const kick = button('Kick', `Kick ${p.nick}`, () => act('kick', { pid: p.pid }, `Kicked ${p.nick}.`));
      kick.classList.add('danger');
      const tr = row([p.nick, p.pid, p.node, new Date(p.joinedAt).toLocaleTimeString(),
        pill(p.audio, 'mic on', 'mic off'), pill(p.video, 'camera on', 'camera off'), pill(p.screen, 'sharing', '—')]);
      const cell = document.createElement('td');
      cell.append(kick);
      tr.append(cell);
      return tr;
    }));
  }
}

/** How the room's calls travel, as the panel says it: P2P, mesh, or SFU and on which Janus. */
function callMode(room) {
  if (room.mode === 'sfu') return room.janus ? `SFU on ${room.janus}` : 'SFU';
  return room.mode === 'p2p' ? 'P2P' : 'mesh';
}

function lockMark() {
  const mark = document.createElement('span');
  mark.className = 'lock-mark';
  mark.setAttribute('role', 'img');
  mark.setAttribute('aria-label', 'locked');
  mark.title = 'locked';
  mark.append(icon('lock'));
  return mark;
}

function roomCard(name) {
  const element = document.createElement('article');
  element.className = 'room-card';
  const head = document.createElement('div');
  head.className = 'room-head';
  const title = document.createElement('h3');
  const meta = document.createElement('span');
  meta.className = 'muted small';
  const close = button('Close room', `Close room ${name}`, () => act('close', { room: name }, `Closed ${name}.`));
  close.classList.add('danger', 'small');
  head.append(title, meta, close);
  const table = document.createElement('table');
  table.className = 'table';
  table.innerHTML = '<thead><tr><th scope="col">Name</th><th scope="col">ID</th><th scope="col">Node</th>'
    + '<th scope="col">Joined</th><th scope="col">Mic</th><th scope="col">Camera</th><th scope="col">Screen</th>'
    + '<th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>';
  const people = document.createElement('tbody');
  table.append(people);
  const form = document.createElement('form');
  form.className = 'notice-form';
  const input = document.createElement('input');
  input.maxLength = 500;
  input.placeholder = 'Notice to everyone in the room';
  input.setAttribute('aria-label', `Notice to room ${name}`);
  const send = document.createElement('button');
  send.type = 'submit';
  send.textContent = 'Send notice';
  form.append(input, send);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!input.value.trim()) return;
    if (await act('notice', { room: name, text: input.value }, `Notice sent to ${name}.`)) input.value = '';
  });
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.append(table);
  element.append(head, scroll, form);
  return { element, title, meta, people };
}

function renderEvents(events, unavailable) {
  if (unavailable) {
    $('events').replaceChildren(item('The meeting log cannot be read right now.'));
    return;
  }
  $('events').replaceChildren(...events.map((e) => {
    const who = e.nick ? `${e.nick} ` : '';
    const what = { joined: 'joined', left: `left${e.reason ? ` (${e.reason})` : ''}`, kicked: 'was kicked by the administrator',
      closed: 'room closed by the administrator', notice: `notice: “${e.reason}”`,
      'password-cleared': 'password cleared by the administrator' }[e.event] ?? e.event;
    const li = item(`${who}${what}`);
    const meta = document.createElement('span');
    meta.className = 'muted small';
    meta.textContent = ` ${e.room} · ${new Date(e.at).toLocaleTimeString()}`;
    li.append(meta);
    return li;
  }));
}

async function act(action, body, done) {
  const response = await fetch(`/api/admin/${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
    body: JSON.stringify(body),
  }).catch(() => null);
  if (response?.ok) {
    say(done);
    setTimeout(poll, 300);
    return true;
  }
  const problem = await response?.json().catch(() => ({}));
  say(problem?.error ?? 'The action failed.', true);
  return false;
}

/** A line chart of the values, newest on the right, with its last value and the scale. */
function chart(canvas, values, unit, decimals) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const max = Math.max(1, ...values);
  const pad = 18;
  ctx.strokeStyle = '#2a313d';
  ctx.lineWidth = 1;
  for (const f of [0, 0.5, 1]) {
    const y = pad + (height - 2 * pad) * (1 - f);
    ctx.beginPath();
    ctx.moveTo(0, y);
    ctx.lineTo(width, y);
    ctx.stroke();
  }
  ctx.fillStyle = '#9aa3b2';
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillText(max.toFixed(decimals), 4, pad - 4);
  if (values.length > 1) {
    const step = width / (values.length - 1);
    ctx.strokeStyle = '#4f7cff';
    ctx.lineWidth = 2;
    ctx.beginPath();
    values.forEach((v, i) => {
      const x = i * step;
      const y = pad + (height - 2 * pad) * (1 - v / max);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
  }
  const last = values.at(-1) ?? 0;
  canvas.setAttribute('aria-label', `${unit}: ${last.toFixed(decimals)} now, at most ${max.toFixed(decimals)} in the last five minutes`);
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const value of cells) {
    const td = document.createElement('td');
    if (value instanceof Node) td.append(value);
    else td.textContent = String(value);
    tr.append(td);
  }
  return tr;
}

function pill(on, yes, no) {
  const span = document.createElement('span');
  span.className = on ? 'pill on' : 'pill';
  span.textContent = on ? yes : no;
  return span;
}

function button(text, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

function item(text) {
  const li = document.createElement('li');
  li.textContent = text;
  return li;
}

function say(text, bad = false) {
  $('status').hidden = !text;
  $('status').textContent = text ?? '';
  $('status').classList.toggle('bad', bad);
}

$('logout').addEventListener('click', async () => {
  await fetch('/api/admin/logout', { method: 'POST', headers: { 'X-CSRF-Token': csrf } }).catch(() => null);
  location.assign('/admin/login');
});

poll();
setInterval(poll, POLL_MS);
