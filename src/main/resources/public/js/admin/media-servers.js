// The admin panel's "Media servers" card: each Janus with its state, the rooms and streams the
// cluster has on it, and how long it takes to answer; Drain stops new rooms going to it (its rooms
// finish there), and once a draining one is empty it can be taken down for its upgrade.

const $ = (id) => document.getElementById(id);
const rows = new Map();

/** Fetches the list and shows it; `act` carries out a POST with the session's CSRF token. */
export async function pollMediaServers(act) {
  const response = await fetch('/api/admin/media-servers', { cache: 'no-store' }).catch(() => null);
  if (!response?.ok) return;
  const { servers } = await response.json();
  $('no-media').hidden = servers.length > 0;
  $('media-table').hidden = servers.length === 0;
  const shown = servers.map((server) => {
    let entry = rows.get(server.instance);
    if (!entry) {
      entry = row(server.instance, act);
      rows.set(server.instance, entry);
    }
    fill(entry, server);
    return entry.tr;
  });
  const body = $('media');
  if (shown.length !== body.children.length || shown.some((tr, i) => body.children[i] !== tr)) body.replaceChildren(...shown);
}

// Rows stay from one poll to the next, so that keyboard focus on a button survives the refresh.
function row(instance, act) {
  const tr = document.createElement('tr');
  const cells = Array.from({ length: 6 }, () => document.createElement('td'));
  cells[0].textContent = instance;
  const drain = document.createElement('button');
  drain.type = 'button';
  drain.addEventListener('click', () => {
    const draining = drain.dataset.draining !== 'true';
    act('media-servers/drain', { instance, draining },
      draining ? `${instance} drains: no new rooms go to it.` : `${instance} takes new rooms again.`);
  });
  cells[5].append(drain);
  tr.append(...cells);
  return { tr, cells, drain, instance };
}

function fill({ cells, drain, instance }, server) {
  const state = server.state === 'draining' && server.empty ? 'draining · empty, ready to upgrade' : server.state;
  if (cells[1].textContent !== state) {
    const pill = document.createElement('span');
    pill.className = server.state === 'up' ? 'pill on' : 'pill';
    pill.textContent = state;
    cells[1].replaceChildren(pill);
  }
  cells[2].textContent = String(server.rooms);
  cells[3].textContent = String(server.streams);
  cells[4].textContent = server.meanAnswerMs === null ? '–' : `${server.meanAnswerMs} ms`;
  const draining = server.state === 'draining';
  drain.dataset.draining = String(draining);
  drain.textContent = draining ? 'Undrain' : 'Drain';
  drain.setAttribute('aria-label', `${draining ? 'Undrain' : 'Drain'} media server ${instance}`);
}
