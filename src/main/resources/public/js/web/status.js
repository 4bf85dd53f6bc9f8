// The connection banner at the top of every page: shown while connecting or reconnecting, and
// briefly after coming back.

import { t } from '../i18n/i18n.js';

let hideTimer = null;

export function showStatus(state, readyKey) {
  const banner = document.getElementById('status');
  clearTimeout(hideTimer);
  if (state === 'connecting' || state === 'reconnecting') {
    banner.textContent = t(`status.${state}`);
    banner.className = 'status warn';
    banner.hidden = false;
  } else if (state === 'ready' && readyKey) {
    banner.textContent = t(readyKey);
    banner.className = 'status ok';
    banner.hidden = false;
    hideTimer = setTimeout(() => { banner.hidden = true; }, 4000);
  } else {
    banner.hidden = true;
  }
}
