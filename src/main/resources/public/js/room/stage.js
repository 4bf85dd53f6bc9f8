// The video tiles: one per participant (you included), plus one per shared screen. Each tile
// shows the name and the microphone and camera state, and others' tiles a pin button. The Layout
// decides which tiles show (a page of the grid, or the speaker view); the grid picks the column
// count that makes the shown tiles largest for the window. After each layout the stage sends a
// "layout" event, for the pager and for the call's report of what is on screen.

import { t } from '../i18n/i18n.js';
import { icon } from '../web/icons.js';

const PORTRAIT_PHONE = matchMedia('(max-width: 700px) and (orientation: portrait)');

export class Stage extends EventTarget {
  #tiles = new Map();
  // Tracks that came before their participant's tile (a newcomer's offer is answered first).
  #early = new Map();
  #audio = new Map();
  #speakerId = '';
  #layoutPending = false;

  constructor(grid, audioShelf, layout) {
    super();
    this.grid = grid;
    this.audioShelf = audioShelf;
    this.layout = layout;
    this.arranged = { page: 0, pages: 1, view: layout.view };
    layout.addEventListener('change', () => this.#layout());
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
    this.layout.forget(pid);
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

  /**
   * Marks who is speaking, and tells the layout, whose speaker view follows the voice. The call
   * session has already taken a muted microphone for silence.
   */
  setSpeaking(pid, speaking) {
    const tile = this.#tiles.get(pid);
    if (!tile) return;
    tile.element.classList.toggle('speaking', speaking);
    const self = [...this.#tiles].find(([, t]) => t.self)?.[0];
    this.layout.speaking(pid, speaking, self);
  }

  /** Plays every voice on the chosen output device (where the browser supports it). */
  setSpeaker(deviceId) {
    this.#speakerId = deviceId;
    for (const audio of this.#audio.values()) if (audio.setSinkId) audio.setSinkId(deviceId).catch(() => {});
  }

  /** The tile's element (its camera tile), for what is drawn over it. */
  tileOf(pid) {
    return this.#tiles.get(pid)?.element;
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
    let pin = null;
    if (!self) {
      pin = document.createElement('button');
      pin.type = 'button';
      pin.className = 'tile-pin ghost small';
      pin.append(icon('pin'));
      pin.addEventListener('click', () => this.layout.pin(pid));
      element.append(pin);
    }
    return { element, video, avatar, name, mic, cam, pin, self, nick: '', media: { audio: false, video: false, screen: false } };
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
    if (tile.pin) {
      const pinned = this.layout.pinned === tile.element.dataset.pid;
      tile.pin.setAttribute('aria-label', t(pinned ? 'tile.unpin' : 'tile.pin', { nick: tile.nick }));
      tile.pin.setAttribute('aria-pressed', String(pinned));
    }
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

  // Shows what the layout picks, then the number of columns that gives 16:9 tiles the largest
  // size in the grid (in the speaker view: the strip's count under the stage).
  #fit() {
    const tiles = [...this.grid.children].map((element) => {
      const tile = this.#tiles.get(element.dataset.pid);
      return { pid: element.dataset.pid, element, self: !!tile?.self, screen: element.dataset.slot === 'screen' };
    });
    if (!tiles.length) return;
    const arranged = this.layout.arrange(tiles);
    for (const { element } of tiles) {
      element.classList.toggle('off-page', !arranged.shown.has(element));
      element.classList.toggle('on-stage', element === arranged.stage);
    }
    const speakerView = arranged.stage !== null;
    this.grid.classList.toggle('speaker-view', speakerView);
    for (const tile of this.#tiles.values()) this.#caption(tile);
    if (speakerView) {
      this.grid.style.setProperty('--strip', Math.max(1, arranged.strip));
    } else {
      const count = arranged.shown.size;
      const { width, height } = this.grid.getBoundingClientRect();
      // Tiles are 16:9, but square on a phone held upright (app.css), where 16:9 tiles would
      // leave most of the screen empty.
      const aspect = PORTRAIT_PHONE.matches ? 1 : 16 / 9;
      let best = 1;
      let bestArea = 0;
      for (let cols = 1; cols <= count; cols++) {
        const rows = Math.ceil(count / cols);
        const w = Math.min(width / cols, (height / rows) * aspect);
        if (w * w > bestArea) {
          bestArea = w * w;
          best = cols;
        }
      }
      this.grid.style.setProperty('--cols', best);
      this.grid.style.setProperty('--rows', Math.ceil(count / best));
    }
    this.arranged = { page: arranged.page, pages: arranged.pages, view: speakerView ? 'speaker' : 'grid' };
    this.dispatchEvent(new Event('layout'));
  }
}
