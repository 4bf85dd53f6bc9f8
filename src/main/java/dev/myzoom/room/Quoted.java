package dev.myzoom.room;

/**
 * A value someone typed (a nickname), made safe for a key=value log line: in double quotes, with
 * quotes and backslashes escaped, and every control, format or line/paragraph separator written
 * as backslash-u. A nickname like {@code Bo" event=kick} can then not forge a field, and U+2028
 * cannot start a forged line in tools that split on it.
 */
public final class Quoted {
    private Quoted() {
    }

    public static String of(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            int type = Character.getType(c);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
