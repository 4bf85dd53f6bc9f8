// The local microphone, camera and screen. Everything that changes a track goes through here, so
// that the call can follow with replaceTrack (no renegotiation) and the page can follow with the
// on/off state. Turning the camera off stops its track, so the camera light goes out.

export class LocalMedia extends EventTarget {
  mic = null;
  camera = null;
  screen = null;
  micOn = true;
  cameraOn = true;
  micId = '';
  cameraId = '';
  speakerId = '';
  maxHeight = 720;
  /** Why media is missing, if it is: 'denied', 'nodevice', 'nocamera', 'nomic' or 'failed'. */
  problem = null;

  get state() {
    return { audio: !!this.mic && this.micOn, video: !!this.camera, screen: !!this.screen };
  }

  /** Asks for the microphone and, if wanted, the camera; falls back to what is available. */
  async start() {
    this.problem = null;
    const wantVideo = this.cameraOn;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: this.#audio(), video: wantVideo && this.#video() });
      this.#take(stream);
    } catch (error) {
      await this.#fallback(error, wantVideo);
    }
    this.#changed();
  }

  async #fallback(error, wantVideo) {
    if (error.name === 'NotAllowedError' || error.name === 'SecurityError') {
      this.problem = 'denied';
      return;
    }
    // One of the two devices is missing or busy: try each on its own.
    const tries = [['audio', { audio: this.#audio() }]];
    if (wantVideo) tries.push(['video', { video: this.#video() }]);
    for (const [, constraints] of tries) {
      try {
        this.#take(await navigator.mediaDevices.getUserMedia(constraints));
      } catch {
        // reported below
      }
    }
    if (!this.mic && !this.camera) this.problem = error.name === 'NotFoundError' ? 'nodevice' : 'failed';
    else if (!this.mic) this.problem = 'nomic';
    else if (wantVideo && !this.camera) this.problem = 'nocamera';
  }

  #take(stream) {
    for (const track of stream.getTracks()) {
      if (track.kind === 'audio') {
        this.mic?.stop();
        this.mic = track;
        track.enabled = this.micOn;
        this.micId = track.getSettings().deviceId ?? this.micId;
      } else {
        this.camera?.stop();
        this.camera = track;
        this.cameraId = track.getSettings().deviceId ?? this.cameraId;
      }
    }
  }

  #audio() {
    return this.micId ? { deviceId: { exact: this.micId } } : true;
  }

  #video() {
    const size = { height: { ideal: this.maxHeight }, width: { ideal: Math.round(this.maxHeight * 4 / 3) } };
    return this.cameraId ? { ...size, deviceId: { exact: this.cameraId } } : size;
  }

  /** The server says how large video may be; a running camera follows at once. */
  setMaxHeight(height) {
    if (!height || height === this.maxHeight) return;
    this.maxHeight = height;
    this.camera?.applyConstraints(this.#video()).catch(() => {});
  }

  setMic(on) {
    this.micOn = on;
    if (this.mic) this.mic.enabled = on;
    this.#changed();
  }

  async setCamera(on) {
    this.cameraOn = on;
    if (!on) {
      this.camera?.stop();
      this.camera = null;
    } else if (!this.camera) {
      try {
        this.#take(await navigator.mediaDevices.getUserMedia({ video: this.#video() }));
      } catch (error) {
        this.cameraOn = false;
        this.problem = error.name === 'NotAllowedError' ? 'denied' : 'nocamera';
      }
    }
    this.#changed();
  }

  /** Switches to another camera: the new one opens before the old one closes, so the call has no gap. */
  async useCamera(deviceId) {
    this.cameraId = deviceId;
    if (!this.camera) return;
    const old = this.camera;
    const [track] = (await navigator.mediaDevices.getUserMedia({ video: this.#video() })).getVideoTracks();
    this.camera = track;
    this.#changed();
    old.stop();
  }

  async useMic(deviceId) {
    this.micId = deviceId;
    if (!this.mic) return;
    const old = this.mic;
    const [track] = (await navigator.mediaDevices.getUserMedia({ audio: this.#audio() })).getAudioTracks();
    track.enabled = this.micOn;
    this.mic = track;
    this.#changed();
    old.stop();
  }

  useSpeaker(deviceId) {
    this.speakerId = deviceId;
    this.#changed();
  }

  async startScreen() {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    this.screen = stream.getVideoTracks()[0];
    // The browser's own "Stop sharing" bar ends the track.
    this.screen.addEventListener('ended', () => this.stopScreen());
    this.#changed();
  }

  stopScreen() {
    if (!this.screen) return;
    this.screen.stop();
    this.screen = null;
    this.#changed();
  }

  stop() {
    for (const track of [this.mic, this.camera, this.screen]) track?.stop();
    this.mic = this.camera = this.screen = null;
    this.#changed();
  }

  /** The devices the browser knows of, by kind; labels are empty until permission is given. */
  async devices() {
    const all = await navigator.mediaDevices.enumerateDevices();
    return {
      camera: all.filter((d) => d.kind === 'videoinput'),
      mic: all.filter((d) => d.kind === 'audioinput'),
      speaker: all.filter((d) => d.kind === 'audiooutput'),
    };
  }

  #changed() {
    this.dispatchEvent(new Event('change'));
  }
}
