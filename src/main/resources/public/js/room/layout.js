// Which tiles the stage shows, and where. The grid shows one page of tiles at a time; the speaker
// view shows one tile large (a shared screen, else the pinned person, else whoever spoke last)
// above a strip of a few others. A tile that is not shown is hidden, and a hidden tile reports
// no height, so in a room on the media server its video is not even received: what a page
// decodes depends on what it shows, not on the size of the room.

export const PAGE_SIZES = [4, 9, 16, 25];
const PHONE = window.matchMedia('(max-width: 700px)');
const PHONE_PAGE = 6;
const STRIP = 6;
const PHONE_STRIP = 3;
// The stage keeps a speaker at least this long, so two people talking over each other do not
// make it flap between them.
const HOLD_MS = 1500;

export class Layout extends EventTarget {
  view = 'grid';
  page = 0;
  pinned = null;
  speaker = null;
  #pageSize;
  #speakerAt = 0;
  #speakingNow = new Set();
  #waiting = null;
  #screens = 0;
  #viewBeforeScreen = null;

  constructor({ pageSize = 25, view = 'grid' } = {}) {
    super();
    this.#pageSize = PAGE_SIZES.includes(pageSize) ? pageSize : 25;
    this.view = view === 'speaker' ? 'speaker' : 'grid';
    PHONE.addEventListener('change', () => this.#changed());
  }

  /** Tiles per page of the grid: the chosen size, and fewer on a phone. */
  get pageSize() {
    return PHONE.matches ? Math.min(this.#pageSize, PHONE_PAGE) : this.#pageSize;
  }

  get chosenPageSize() {
    return this.#pageSize;
  }

  setPageSize(size) {
    if (!PAGE_SIZES.includes(size) || size === this.#pageSize) return;
    // Keep the first tile of the page in view.
    const first = this.page * this.pageSize;
    this.#pageSize = size;
    this.page = Math.floor(first / this.pageSize);
    this.#changed();
  }

  setView(view) {
    if (view === this.view) return;
    this.view = view;
    this.#viewBeforeScreen = null;
    this.#changed();
  }

  /** Turns the grid's page by delta, within the pages there are. */
  turn(delta) {
    this.page += delta;
    this.#changed();
  }

  /** Pins someone to the stage (the speaker view), or unpins them. */
  pin(pid) {
    this.pinned = this.pinned === pid ? null : pid;
    if (this.pinned) this.view = 'speaker';
    this.#changed();
  }

  /**
   * Someone started or stopped speaking: the stage moves to a new speaker, once the one on it
   * has had it a moment (or is quiet). A voice that comes during that moment gets the stage
   * when it ends, if it still speaks; the events say only changes, so nothing else would.
   */
  speaking(pid, on, selfPid) {
    if (on) this.#speakingNow.add(pid);
    else this.#speakingNow.delete(pid);
    if (!on || pid === selfPid || pid === this.speaker) return;
    const wait = this.speaker && this.#speakingNow.has(this.speaker) ? HOLD_MS - (performance.now() - this.#speakerAt) : 0;
    clearTimeout(this.#waiting);
    if (wait > 0) {
      this.#waiting = setTimeout(() => { if (this.#speakingNow.has(pid)) this.#toStage(pid); }, wait);
    } else {
      this.#toStage(pid);
    }
  }

  #toStage(pid) {
    this.speaker = pid;
    this.#speakerAt = performance.now();
    if (this.view === 'speaker' && !this.pinned) this.#changed();
  }

  /** Someone left: they can no longer be pinned or on stage. */
  forget(pid) {
    this.#speakingNow.delete(pid);
    if (this.speaker === pid) this.speaker = null;
    if (this.pinned === pid) {
      this.pinned = null;
      this.#changed();
    }
  }

  /**
   * Decides what shows. tiles: [{ pid, element, self, screen }] in the grid's order.
   * Returns { shown: Set of elements, stage: the element on stage or null, page, pages, strip }.
   */
  arrange(all) {
    // Your own tile comes first, as in other meeting apps: you see yourself on the first page.
    const tiles = [...all.filter((t) => t.self), ...all.filter((t) => !t.self)];
    const screens = tiles.filter((t) => t.screen);
    // A shared screen takes the stage by itself; when the last share ends, the view you had comes back.
    if (screens.length > this.#screens && this.view !== 'speaker') {
      this.#viewBeforeScreen = this.view;
      this.view = 'speaker';
    } else if (screens.length === 0 && this.#screens > 0 && this.#viewBeforeScreen) {
      this.view = this.#viewBeforeScreen;
      this.#viewBeforeScreen = null;
    }
    this.#screens = screens.length;
    if (this.view === 'speaker' && tiles.length > 1) return this.#speakerView(tiles, screens);
    const size = this.pageSize;
    const pages = Math.max(1, Math.ceil(tiles.length / size));
    this.page = Math.min(Math.max(0, this.page), pages - 1);
    const shown = new Set(tiles.slice(this.page * size, (this.page + 1) * size).map((t) => t.element));
    return { shown, stage: null, page: this.page, pages, strip: 0 };
  }

  #speakerView(tiles, screens) {
    const camera = (pid) => tiles.find((t) => t.pid === pid && !t.screen);
    const onStage = screens[screens.length - 1]
      ?? (this.pinned && camera(this.pinned))
      ?? (this.speaker && camera(this.speaker))
      ?? tiles.find((t) => !t.self && !t.screen)
      ?? tiles[0];
    const strip = tiles.filter((t) => t !== onStage).slice(0, PHONE.matches ? PHONE_STRIP : STRIP);
    const shown = new Set([onStage, ...strip].map((t) => t.element));
    return { shown, stage: onStage.element, page: 0, pages: 1, strip: strip.length };
  }

  #changed() {
    this.dispatchEvent(new Event('change'));
  }
}
