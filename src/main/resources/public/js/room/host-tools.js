// The host's tools for a whole meeting: "Mute everyone" (and whether people may unmute
// themselves afterwards), and, on the other side, the request to unmute that the host can send
// to one person, which they accept or decline in a dialog: the host never turns a microphone on.

import { t, errorText } from '../i18n/i18n.js';
import { toast } from '../web/toast.js';

export class HostTools {
  /**
   * @param muteAll the host's "Mute everyone" button
   * @param allowUnmute the host's checkbox "People may unmute themselves"
   * @param dialog the dialog that asks a participant to unmute
   */
  constructor({ muteAll, allowUnmute, dialog }, meeting, connection, media) {
    this.meeting = meeting;
    this.allowUnmute = allowUnmute;
    muteAll.addEventListener('click', () => connection.request('muteAll', { lock: !allowUnmute.checked })
      .then(() => toast(t('host.mutedEveryone'))).catch((e) => toast(errorText(e))));
    allowUnmute.addEventListener('change', () => connection.request('allowUnmute', { allowed: allowUnmute.checked })
      .catch((e) => toast(errorText(e))));
    meeting.addEventListener('change', ({ detail: { what } }) => {
      if (['settings', 'entered'].includes(what)) allowUnmute.checked = !meeting.micsLocked;
    });
    connection.addEventListener('unmuteRequest', () => {
      meeting.mayUnmute = true;
      if (!dialog.open) dialog.showModal();
    });
    dialog.addEventListener('close', () => {
      if (dialog.returnValue === 'unmute') media.setMic(true);
    });
  }
}
