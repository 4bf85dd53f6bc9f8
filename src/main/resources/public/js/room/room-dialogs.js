// The room page's two form dialogs: your nickname, and (for the host) the room's password.

import { errorText } from '../i18n/i18n.js';
import * as names from '../web/names.js';
import { formDialog } from './form-dialog.js';

const $ = (id) => document.getElementById(id);

export function renameDialog({ connection, meeting, log, limits }) {
  formDialog({
    dialog: $('rename-dialog'), opener: $('rename'), cancel: $('rename-cancel'), error: $('rename-error'),
    reset: () => { $('new-nickname').value = meeting.nick; },
    submit: async () => {
      const wanted = names.nickname($('new-nickname').value);
      const ack = await connection.request('rename', { nick: wanted });
      names.saveNickname(wanted);
      meeting.rename(connection.pid, ack.nick);
      log.notice('presence.youRenamed', { nick: ack.nick });
    },
    describe: (error) => errorText(error, { max: limits().maxNicknameLength }),
  });
}

export function passwordDialog({ connection }) {
  formDialog({
    dialog: $('password-dialog'), opener: $('set-password'), cancel: $('password-cancel'), error: $('password-error'),
    reset: () => { $('new-password').value = ''; },
    submit: () => connection.request('setPassword', { password: $('new-password').value }),
    describe: (error) => errorText(error),
  });
}
