// The admin panel's "Recordings" card: every recording, newest first, with its room, start,
// length, size, who started it and its state (recording, processing with its progress, ready,
// failed). A ready one can be played here, downloaded, or deleted with its files. The file is
// served only to this session (or to a host's signed link).

const $ = (id) => document.getElementById(id);
const rows = new Map();

export async function pollRecordings(act) {
  const response = await fetch('/api/admin/recordings', { cache: 'no-store' }).catch(() => null);
  if (!response?.ok) return;
  const { recordings } = await response.json();
  $('no-recordings').hidden = recordings.length > 0;
  $('recordings-table').hidden = recordings.length === 0;
  const shown = recordings.map((recording) => {
    let entry = rows.get(recording.id);
    if (!entry) {
      entry = row(recording, act);
      rows.set(recording.id, entry);
    }
    fill(entry, recording);
    return entry.tr;
  });
  const body = $('recordings');
  if (shown.length !== body.children.length || shown.some((tr, i) => body.children[i] !== tr)) body.replaceChildren(...shown);
}

// Rows stay from one poll to the next, so that keyboard focus on a button survives the refresh.
function row(recording, act) {
  const tr = document.createElement('tr');
  const cells = Array.from({ length: 7 }, () => document.createElement('td'));
  cells[0].textContent = recording.room;
  cells[1].textContent = new Date(recording.startedAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
  cells[4].textContent = recording.startedBy;
  const actions = document.createElement('span');
  actions.className = 'row-actions';
  const play = button('Play', `Play the recording of ${recording.room}`, () => {
    const player = $('recording-player');
    player.src = recording.file;
    player.hidden = false;
    player.focus();
    player.play().catch(() => {});
  });
  const download = document.createElement('a');
  download.className = 'button ghost small';
  download.textContent = 'Download';
  download.setAttribute('aria-label', `Download the recording of ${recording.room}`);
  const remove = button('Delete', `Delete the recording of ${recording.room}`, () => {
    if (confirm(`Delete the recording of ${recording.room}? Its file is gone for good.`)) {
      act('recordings/delete', { id: recording.id }, `The recording of ${recording.room} was deleted.`);
    }
  });
  actions.append(play, download, remove);
  cells[6].append(actions);
  tr.append(...cells);
  return { tr, cells, play, download, remove };
}

function button(text, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'ghost small';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

function fill({ cells, play, download, remove }, recording) {
  cells[2].textContent = recording.durationMs == null ? '–' : length(recording.durationMs);
  cells[3].textContent = recording.bytes == null ? '–' : `${(recording.bytes / 1048576).toFixed(1)} MB`;
  const state = recording.state === 'processing' ? `processing ${recording.progress} %` : recording.state;
  if (cells[5].textContent !== state) {
    const pill = document.createElement('span');
    pill.className = recording.state === 'ready' ? 'pill on' : 'pill';
    pill.textContent = state;
    if (recording.note) pill.title = recording.note;
    cells[5].replaceChildren(pill);
  }
  const ready = Boolean(recording.file);
  play.hidden = !ready;
  download.hidden = !ready;
  if (ready) download.href = `${recording.file}?download=1`;
  remove.hidden = recording.state === 'recording';
}

function length(ms) {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
