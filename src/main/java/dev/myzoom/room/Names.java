package dev.myzoom.room;

import dev.myzoom.protocol.ErrorCode;
import dev.myzoom.protocol.Refusal;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The rules for what people type: room names, nicknames and chat lines. Both are normalised (NFC) so that the same word typed on
 * two keyboards is the same name; Korean and other scripts are welcome.
 */
public final class Names {
    private final int maxRoomName;
    private final int maxNickname;
    private final int maxChat;

    public Names(int maxRoomName, int maxNickname, int maxChat) {
        this.maxRoomName = maxRoomName;
        this.maxNickname = maxNickname;
        this.maxChat = maxChat;
    }

    /**
     * A chat line, checked: sent as typed (not trimmed, since spacing can matter), but never blank
     * and never with a NUL, which some databases refuse.
     */
    public String chatText(String text) {
        if (text.isBlank()) {
            throw new Refusal(ErrorCode.EMPTY_MESSAGE, "message is empty");
        }
        if (text.indexOf('\u0000') >= 0) {
            throw new Refusal(ErrorCode.INVALID_TEXT, "message contains a NUL character");
        }
        if (text.codePointCount(0, text.length()) > maxChat) {
            throw new Refusal(ErrorCode.MESSAGE_TOO_LONG, "message is longer than " + maxChat + " characters");
        }
        return text;
    }

    /**
     * Room names are case-insensitive like Jitsi's: they are lower-cased, and runs of spaces become
     * a dash so that the name reads well in a link.
     */
    public String roomName(String raw) {
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC).strip()
                .replaceAll("\\s+", "-").toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            throw new Refusal(ErrorCode.INVALID_ROOM, "room name is empty");
        }
        if (name.codePointCount(0, name.length()) > maxRoomName) {
            throw new Refusal(ErrorCode.INVALID_ROOM, "room name is longer than " + maxRoomName + " characters");
        }
        boolean allowed = name.codePoints().allMatch(c -> Character.isLetterOrDigit(c)
                || Character.getType(c) == Character.NON_SPACING_MARK
                || Character.getType(c) == Character.COMBINING_SPACING_MARK
                || c == '-' || c == '_' || c == '.');
        if (!allowed) {
            throw new Refusal(ErrorCode.INVALID_ROOM, "room names may only use letters, digits, '-', '_' and '.'");
        }
        // "." and ".." would make the links /r/. and /r/.., which browsers resolve to other paths.
        if (name.chars().allMatch(c -> c == '.')) {
            throw new Refusal(ErrorCode.INVALID_ROOM, "a room name needs a letter or a digit");
        }
        return name;
    }

    public String nickname(String raw) {
        // Line and paragraph separators (U+2028, U+2029) too: they break lines in logs and in
        // tools that read them, as newlines do.
        if (raw.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR)) {
            throw new Refusal(ErrorCode.INVALID_NICKNAME, "nickname contains control characters");
        }
        String nick = Normalizer.normalize(raw, Normalizer.Form.NFC).strip().replaceAll("\\s+", " ");
        if (nick.isEmpty()) {
            throw new Refusal(ErrorCode.INVALID_NICKNAME, "nickname is empty");
        }
        if (nick.codePointCount(0, nick.length()) > maxNickname) {
            throw new Refusal(ErrorCode.INVALID_NICKNAME, "nickname is longer than " + maxNickname + " characters");
        }
        return nick;
    }
}
