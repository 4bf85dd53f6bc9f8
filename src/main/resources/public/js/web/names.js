// The same rules as the server's room.Names, so that the page can say what is wrong before asking.

export function roomName(raw) {
  return raw.normalize('NFC').trim().replace(/\s+/g, '-').toLowerCase();
}

export function isValidRoomName(name, max) {
  return name.length > 0 && [...name].length <= max && /^[\p{L}\p{N}\p{M}_.-]+$/u.test(name);
}

export function nickname(raw) {
  return raw.normalize('NFC').trim().replace(/\s+/g, ' ');
}

export function isValidNickname(nick, max) {
  return nick.length > 0 && [...nick].length <= max && !/[\p{Cc}\p{Cf}]/u.test(nick);
}

export function roomPath(room) {
  return `/r/${encodeURIComponent(room)}`;
}

const NICK_KEY = 'myzoom.nickname';

export function savedNickname() {
  return localStorage.getItem(NICK_KEY) ?? '';
}

export function saveNickname(nick) {
  localStorage.setItem(NICK_KEY, nick);
}

// Whether a room this tab opens is left out of the room list: chosen on the home page, sent
// with the join from the room page. Only the join that opens the room decides.
const unlistedKey = (room) => `myzoom.unlisted.${room}`;

export function setUnlisted(room, unlisted) {
  if (unlisted) sessionStorage.setItem(unlistedKey(room), '1');
  else sessionStorage.removeItem(unlistedKey(room));
}

export function isUnlisted(room) {
  return sessionStorage.getItem(unlistedKey(room)) === '1';
}
