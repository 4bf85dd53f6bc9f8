// The chat panel's wiring: the message box (with the length limit said before sending), the
// lines and history from the server, and "Load earlier messages".

import { errorText } from '../i18n/i18n.js';
import { toast } from '../web/toast.js';

const $ = (id) => document.getElementById(id);
const OLDER_PAGE = 50;

export function wireChat({ connection, log, outbox, limits }) {
  $('chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('message');
    const text = input.value;
    if (!text.trim()) return;
    if ([...text].length > limits().maxChatLength) {
      log.notice('error.message_too_long', { max: limits().maxChatLength });
      return;
    }
    input.value = '';
    outbox.send(text);
  });

  connection.on('chat', ({ nick, text, ts, msgId }) => log.theirs(nick, text, ts, msgId));

  connection.on('history', ({ messages, unavailable }) => {
    if (unavailable) {
      log.notice('chat.historyUnavailable');
      return;
    }
    log.stored(messages, connection.pid);
    $('older').hidden = messages.length === 0;
  });

  $('older').addEventListener('click', async () => {
    const before = log.oldestId();
    if (before === null) return;
    try {
      const { messages, more } = await connection.request('history', { before, limit: OLDER_PAGE });
      log.stored(messages, connection.pid);
      // A reply is capped in bytes too, so fewer lines than asked does not mean the start.
      if (!more) {
        $('older').hidden = true;
        log.notice('chat.start');
      }
    } catch (error) {
      toast(errorText(error));
    }
  });
}
