// Recording, as everyone in the room sees it: the red "REC" badge while the meeting is recorded,
// a notice in the chat when it starts and stops (and why, if it stopped by itself), and on the
// pre-join screen a warning before anyone joins a recorded meeting. For the host: the Record
// button in the call's controls, how far the file is and the file's link (a line atop the chat). The server makes the
// recording and says who may (see docs/protocol.md, "record").

import { t, errorText } from '../i18n/i18n.js';
import { toast } from '../web/toast.js';

/** How often the pre-join screen asks whether the room is being recorded. */
const PREJOIN_CHECK_MS = 5000;

export class Recording {
  on = false;

  /**
   * @param button the host's Record / Stop recording button, among the call's controls
   * @param badge the topbar's REC badge
   * @param prejoin the pre-join screen's warning
   * @param status the host's line about the file, atop the chat: progress, then its links
   */
  constructor({ button, badge, prejoin, status }, meeting, connection, log) {
    Object.assign(this, { button, badge, prejoin, status, meeting, connection, log });
    button.addEventListener('click', () => this.#toggle());
    meeting.addEventListener('change', ({ detail: { what } }) => {
      if (what === 'entered') this.#set(meeting.recording);
    });
    connection.on('recording', (news) => this.#news(news));
    connection.on('recordingProgress', ({ percent }) => this.#progress(percent));
    connection.on('recordingReady', (ready) => this.#ready(ready));
    this.#render();
  }

  /** Keeps the pre-join warning true while the pre-join screen shows. */
  watchBeforeJoining(isPrejoin) {
    const check = async () => {
      if (!isPrejoin()) return;
      try {
        const reply = await fetch(`/api/rooms/recording?room=${encodeURIComponent(this.meeting.room)}`);
        if (reply.ok) this.prejoin.hidden = !(await reply.json()).recording;
      } catch {
        // Offline: the room says so once joined.
      }
    };
    check();
    setInterval(check, PREJOIN_CHECK_MS);
  }

  async #toggle() {
    const starting = !this.on;
    this.button.disabled = true;
    try {
      await this.connection.request('record', { on: starting });
    } catch (e) {
      toast(errorText(e));
    } finally {
      this.button.disabled = false;
    }
  }

  #set(recording) {
    this.on = Boolean(recording?.on);
    this.#render();
  }

  #news({ on, by, reason }) {
    const was = this.on;
    this.on = on;
    this.#render();
    if (on && !was) {
      this.log.notice('recording.started', { nick: by });
      toast(t('recording.startedToast', { nick: by }));
    } else if (!on && was) {
      const key = reason ? `recording.stopped.${reason}` : 'recording.stopped';
      this.log.notice(key, { nick: by ?? '' });
      toast(t(key, { nick: by ?? '' }));
    }
  }

  #progress(percent) {
    this.status.hidden = false;
    this.status.replaceChildren(t('recording.processing', { percent }));
  }

  #ready({ url, expires, failed }) {
    this.status.hidden = false;
    if (failed || !url) {
      this.status.replaceChildren(t('recording.failed'));
      toast(t('recording.failed'));
      return;
    }
    const play = document.createElement('a');
    play.href = url;
    play.target = '_blank';
    play.rel = 'noopener';
    play.textContent = t('recording.play');
    const download = document.createElement('a');
    download.href = `${url}&download=1`;
    download.textContent = t('recording.download');
    const at = new Date(expires);
    const until = at.toDateString() === new Date().toDateString()
      ? at.toLocaleTimeString([], { timeStyle: 'short' }) : at.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
    // One line: the host tools sit above the people list. The expiry is in the links' titles.
    play.title = download.title = t('recording.until', { until });
    this.status.replaceChildren(t('recording.ready'), ' ', play, ' · ', download);
    toast(t('recording.readyToast'));
  }

  #render() {
    const isHost = this.connection.pid === this.meeting.hostPid;
    this.button.hidden = !isHost;
    this.button.textContent = t(this.on ? 'recording.stop' : 'recording.start');
    this.button.setAttribute('aria-pressed', String(this.on));
    this.badge.hidden = !this.on;
  }

  /** The host changed, or the page was translated: the button follows. */
  render() {
    this.#render();
  }
}
