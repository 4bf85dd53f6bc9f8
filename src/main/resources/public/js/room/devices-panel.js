// The camera, microphone and speaker pickers. One set of them exists; it sits in the pre-join
// card and moves into the settings dialog during the call. Picking a device mid-call swaps the
// track (replaceTrack) or the output (setSinkId) without renegotiating.

import { t } from '../i18n/i18n.js';

export class DevicesPanel {
  constructor(element, media) {
    this.element = element;
    this.media = media;
    this.selects = {
      camera: element.querySelector('#camera-select'),
      mic: element.querySelector('#mic-select'),
      speaker: element.querySelector('#speaker-select'),
    };
    this.selects.camera.addEventListener('change', () => this.#pick(() => media.useCamera(this.selects.camera.value)));
    this.selects.mic.addEventListener('change', () => this.#pick(() => media.useMic(this.selects.mic.value)));
    this.selects.speaker.addEventListener('change', () => media.useSpeaker(this.selects.speaker.value));
    navigator.mediaDevices?.addEventListener?.('devicechange', () => this.refresh());
    document.addEventListener('languagechange', () => this.refresh());
  }

  /** Moves the pickers into {@code container}, before {@code before} (or at its end). */
  moveTo(container, before) {
    container.insertBefore(this.element, before);
  }

  async refresh() {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    const devices = await this.media.devices();
    const current = { camera: this.media.cameraId, mic: this.media.micId, speaker: this.media.speakerId };
    for (const [kind, select] of Object.entries(this.selects)) {
      const list = devices[kind].filter((d) => d.deviceId);
      const options = list.map((d, i) => new Option(d.label || t('devices.unnamed', { kind: t(`devices.${kind}`), n: i + 1 }), d.deviceId));
      if (!options.length) options.push(new Option(kind === 'speaker' ? t('devices.default') : t('devices.none'), ''));
      select.replaceChildren(...options);
      select.disabled = !list.length;
      if (current[kind] && list.some((d) => d.deviceId === current[kind])) select.value = current[kind];
    }
  }

  async #pick(change) {
    try {
      await change();
    } catch (e) {
      console.warn('device switch failed', e);
    }
    this.refresh();
  }
}
