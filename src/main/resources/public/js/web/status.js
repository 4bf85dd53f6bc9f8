// The connection banner at the top of every page: shown while connecting or reconnecting, and
// briefly after coming back.

import { t } from '../i18n/i18n.js';

let timer = null;

function banner(key, kind) {
  const el = document.getElementById('status');
  el.textContent = t(key);
  el.className = `status ${kind}`;
  el.hidden = false;
}

export function showStatus(state, readyKey) {
  clearTimeout(timer);
  if (state === 'connecting') {
    // The first connection is usually up within milliseconds: only say so if it takes a while.
    timer = setTimeout(() => banner('status.connecting', 'warn'), 800);
  } else if (state === 'reconnecting') {
    banner('status.reconnecting', 'warn');
  } else if (state === 'ready' && readyKey) {
    banner(readyKey, 'ok');
    timer = setTimeout(() => { document.getElementById('status').hidden = true; }, 4000);
  } else {
    document.getElementById('status').hidden = true;
  }
}

/** A lasting warning about the call (not the connection), such as an unreachable TURN server. */
export function showWarning(key) {
  clearTimeout(timer);
  banner(key, 'warn');
}
