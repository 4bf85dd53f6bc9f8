// The grid of video tiles: one per participant (you included), plus one per shared screen. Each
// tile shows the name and the microphone and camera state. The grid picks the column count that
// makes the tiles largest for the window.

import { t } from '../i18n/i18n.js';
import { icon } from '../web/icons.js';

export class Stage {
  #tiles = new Map();
  // Tracks that came before their participant's tile (a newcomer's offer is answered first).
  #early = new Map();
  #audio = new Map();
  #speakerId = '';
  #layoutPending = false;

  constructor(grid, audioShelf) {
    this.grid = grid;
    this.audioShelf = audioShelf;
    new ResizeObserver(() => this.#layout()).observe(grid);
    document.addEventListener('languagechange', () => this.#tiles.forEach((tile) => this.#caption(tile)));
  }

  /** Adds or updates a participant's tile. */
  upsert(pid, { nick, media, self = false }) {
    let tile = this.#tiles.get(pid);
    if (!tile) {
      tile = this.#create(pid, self);
      this.#tiles.set(pid, tile);
      this.grid.append(tile.element);
      const early = this.#early.get(pid);
      this.#early.delete(pid);
      if (early) for (const [slot, track] of early) this.setTrack(pid, slot, track);
    }
    if (nick !== undefined) tile.nick = nick;
    if (media !== undefined) tile.media = media;
    this.#caption(tile);
    this.#screenTile(pid, tile);
    this.#layout();
  }

  remove(pid) {
    this.#early.delete(pid);
    const tile = this.#tiles.get(pid);
    if (!tile) return;
    tile.element.remove();
    tile.screen?.element.remove();
    this.#tiles.delete(pid);
    this.#audio.get(pid)?.remove();
    this.#audio.delete(pid);
    this.#layout();
  }

  clear(keepPid) {
    this.#early.clear();
    for (const pid of [...this.#tiles.keys()]) if (pid !== keepPid) this.remove(pid);
  }

  /** Shows a track in a participant's tile: its camera, its screen, or its voice. */
  setTrack(pid, slot, track) {
    const tile = this.#tiles.get(pid);
    if (!tile) {
      if (!this.#early.has(pid)) this.#early.set(pid, new Map());
      this.#early.get(pid).set(slot, track);
      return;
    }
    if (slot === 'audio') {
      let audio = this.#audio.get(pid);
      if (!audio) {
        audio = document.createElement('audio');
        audio.autoplay = true;
        audio.dataset.pid = pid;
        this.#audio.set(pid, audio);
        this.audioShelf.append(audio);
        if (this.#speakerId && audio.setSinkId) audio.setSinkId(this.#speakerId).catch(() => {});
      }
      audio.srcObject = track ? new MediaStream([track]) : null;
    } else if (slot === 'camera') {
      tile.video.srcObject = track ? new MediaStream([track]) : null;
    } else if (slot === 'screen') {
      tile.screenTrack = track;
      this.#screenTile(pid, tile);
    }
  }

  setSpeaking(pid, speaking) {
    this.#tiles.get(pid)?.element.classList.toggle('speaking', speaking);
  }

  /** Plays every voice on the chosen output device (where the browser supports it). */
  setSpeaker(deviceId) {
    this.#speakerId = deviceId;
    for (const audio of this.#audio.values()) if (audio.setSinkId) audio.setSinkId(deviceId).catch(() => {});
  }

  videoOf(pid, slot = 'camera') {
    const tile = this.#tiles.get(pid);
    return slot === 'screen' ? tile?.screen?.video : tile?.video;
  }

  #create(pid, self) {
    const element = document.createElement('figure');
    element.className = self ? 'tile self' : 'tile';
    element.dataset.pid = pid;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true; // voices play through the audio elements; your own is never played back
    const avatar = document.createElement('div');
    avatar.className = 'tile-avatar';
    avatar.setAttribute('aria-hidden', 'true');
    const caption = document.createElement('figcaption');
    const name = document.createElement('span');
    name.className = 'tile-name';
    const mic = document.createElement('span');
    mic.className = 'state mic';
    const cam = document.createElement('span');
    cam.className = 'state cam';
    caption.append(mic, cam, name);
    element.append(video, avatar, caption);
    return { element, video, avatar, name, mic, cam, self, nick: '', media: { audio: false, video: false, screen: false } };
  }

  #caption(tile) {
    const { media } = tile;
    tile.name.textContent = tile.self ? `${tile.nick} ${t('room.you')}` : tile.nick;
    tile.avatar.textContent = [...tile.nick][0]?.toUpperCase() ?? '?';
    tile.element.classList.toggle('video-off', !media.video);
    tile.element.dataset.audio = media.audio ? 'on' : 'off';
    tile.element.dataset.video = media.video ? 'on' : 'off';
    tile.mic.replaceChildren(icon(media.audio ? 'mic' : 'micOff'));
    tile.mic.setAttribute('aria-label', t(media.audio ? 'tile.micOn' : 'tile.micOff'));
    tile.mic.setAttribute('role', 'img');
    tile.cam.replaceChildren(icon('camOff'));
    tile.cam.hidden = media.video;
    tile.cam.setAttribute('aria-label', t('tile.camOff'));
    tile.cam.setAttribute('role', 'img');
    tile.element.setAttribute('aria-label', `${tile.nick}: ${t(media.audio ? 'tile.micOn' : 'tile.micOff')}, ${t(media.video ? 'tile.camOn' : 'tile.camOff')}`);
    if (tile.screen) tile.screen.name.textContent = t('tile.screenOf', { nick: tile.nick });
  }

  // A shared screen gets a tile of its own beside the camera's, shown while the participant
  // says they share it.
  #screenTile(pid, tile) {
    const sharing = tile.media.screen && (tile.self ? !!tile.screenTrack : true);
    if (sharing && !tile.screen) {
      const element = document.createElement('figure');
      element.className = 'tile screen';
      element.dataset.pid = pid;
      element.dataset.slot = 'screen';
      const video = document.createElement('video');
      video.autoplay = true;
      video.playsInline = true;
      video.muted = true;
      const caption = document.createElement('figcaption');
      const name = document.createElement('span');
      name.className = 'tile-name';
      caption.append(name);
      element.append(video, caption);
      tile.screen = { element, video, name };
      tile.element.after(element);
      this.#caption(tile);
      this.#layout();
    } else if (!sharing && tile.screen) {
      tile.screen.element.remove();
      tile.screen = null;
      this.#layout();
    }
    if (tile.screen && tile.screenTrack && tile.screen.video.srcObject?.getTracks()[0] !== tile.screenTrack) {
      tile.screen.video.srcObject = new MediaStream([tile.screenTrack]);
    }
  }

  // Coalesced into the next frame: measuring the grid forces a layout, and joining adds several
  // tiles at once, right when the call is being set up.
  #layout() {
    if (this.#layoutPending) return;
    this.#layoutPending = true;
    requestAnimationFrame(() => {
      this.#layoutPending = false;
      this.#fit();
    });
  }

  // Picks the number of columns that gives 16:9 tiles the largest size in the grid.
  #fit() {
    const count = this.grid.children.length;
    if (!count) return;
    const { width, height } = this.grid.getBoundingClientRect();
    let best = 1;
    let bestArea = 0;
    for (let cols = 1; cols <= count; cols++) {
      const rows = Math.ceil(count / cols);
      const w = Math.min(width / cols, (height / rows) * 16 / 9);
      if (w * w > bestArea) {
        bestArea = w * w;
        best = cols;
      }
    }
    this.grid.style.setProperty('--cols', best);
    this.grid.style.setProperty('--rows', Math.ceil(count / best));
  }
}
