// The buttons that drive your own media: the call's control bar (microphone, camera, screen,
// settings, side panel), the pre-join screen's microphone and camera buttons beside the preview,
// and the keyboard shortcuts M, V, S and Shift+L; and Copy link in the top bar. Labels follow the media's state and the
// language, so each button says what it will do.

import { t } from '../i18n/i18n.js';
import { toast } from '../web/toast.js';

const $ = (id) => document.getElementById(id);

export class Controls {
  /**
   * @param media the LocalMedia
   * @param devices the DevicesPanel, refreshed when Settings opens
   * @param leave leaves the room (the Leave button and Shift+L)
   * @param mayTurnMicOn whether the microphone may be turned on now (the host may lock it)
   * @param micRefused tells the user why it may not
   */
  constructor({ media, devices, leave, mayTurnMicOn = () => true, micRefused = () => {} }) {
    this.media = media;
    // While the host keeps everyone muted, the page does not even try: nothing is sent.
    const toggleMic = () => {
      if (!media.micOn && !mayTurnMicOn()) micRefused();
      else media.setMic(!media.micOn);
    };
    const toggleCamera = () => media.setCamera(!media.cameraOn);
    const toggleShare = () => this.#toggleShare();
    $('pre-mic').addEventListener('click', toggleMic);
    $('pre-cam').addEventListener('click', toggleCamera);
    $('mic').addEventListener('click', toggleMic);
    $('cam').addEventListener('click', toggleCamera);
    $('share').addEventListener('click', toggleShare);
    $('leave').addEventListener('click', leave);
    $('settings').addEventListener('click', () => {
      devices.refresh();
      $('settings-dialog').showModal();
    });
    $('settings-close').addEventListener('click', () => $('settings-dialog').close());
    $('copy-link').addEventListener('click', () => this.#copyLink());
    $('toggle-side').addEventListener('click', () => this.setSideOpen($('meeting').classList.contains('side-closed')));
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
    media.addEventListener('change', () => this.render());
    document.addEventListener('languagechange', () => this.render());
  }

  render() {
    const media = this.media;
    const micLabel = t(media.micOn ? 'controls.mute' : 'controls.unmute');
    const camLabel = t(media.cameraOn ? 'controls.stopVideo' : 'controls.startVideo');
    for (const [id, label, on] of [['mic', micLabel, media.micOn], ['pre-mic', micLabel, media.micOn],
      ['cam', camLabel, media.cameraOn], ['pre-cam', camLabel, media.cameraOn]]) {
      $(id).textContent = label;
      $(id).classList.toggle('off', !on);
    }
    $('mic').disabled = $('pre-mic').disabled = !media.mic;
    const sharing = media.state.screen;
    $('share').textContent = t(sharing ? 'controls.stopShare' : 'controls.share');
    $('share').classList.toggle('active', sharing);
    $('share').hidden = !navigator.mediaDevices?.getDisplayMedia;
    this.renderPreview();
    const problem = $('media-problem');
    problem.hidden = !media.problem;
    if (media.problem) problem.textContent = t(`media.${media.problem}`);
  }

  // The preview plays only while it can be seen: a hidden <video> still costs the page work.
  renderPreview() {
    const visible = !$('prejoin').hidden && this.media.camera;
    const current = $('preview').srcObject?.getVideoTracks()[0];
    if (visible && current !== this.media.camera) $('preview').srcObject = new MediaStream([this.media.camera]);
    else if (!visible && current) $('preview').srcObject = null;
    $('preview-off').hidden = !!this.media.camera;
  }

  setSideOpen(open) {
    $('meeting').classList.toggle('side-closed', !open);
    $('toggle-side').setAttribute('aria-expanded', String(open));
  }

  async #copyLink() {
    try {
      await navigator.clipboard.writeText(location.href);
      toast(t('room.copied'));
    } catch {
      toast(location.href);
    }
  }

  async #toggleShare() {
    if (this.media.screen) {
      this.media.stopScreen();
      return;
    }
    try {
      await this.media.startScreen();
    } catch {
      toast(t('controls.shareFailed'));
    }
  }
}
