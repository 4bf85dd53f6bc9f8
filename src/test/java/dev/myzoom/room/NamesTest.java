package dev.myzoom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myzoom.protocol.ErrorCode;
import dev.myzoom.protocol.Refusal;
import java.text.Normalizer;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Room names and nicknames: what they become, and what is refused. */
class NamesTest {
    private final Names names = new Names(10, 6, 6);

    @Test
    void roomNamesAreLowerCasedAndTheirSpacesBecomeOneDash() {
        assertEquals("book-club", names.roomName("  Book   Club "));
        assertEquals("a-b", names.roomName("A\tB"));
        assertEquals("v1.2_x", names.roomName("V1.2_x"));
    }

    @Test
    void roomNamesAreTheSameWordHoweverTheKeyboardComposedIt() {
        String composed = "caf\u00e9";
        String decomposed = "cafe\u0301";
        assertEquals(composed, names.roomName(decomposed));
        String korean = "회의실";
        assertEquals(korean, names.roomName(Normalizer.normalize(korean, Normalizer.Form.NFD)));
    }

    @Test
    void roomNamesLowerCaseTheSameWayOnEveryServer() {
        // Under a Turkish locale "I" would become a dotless ı, and the same link would name
        // another room on that server.
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            assertEquals("title", names.roomName("TITLE"));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void roomNamesWelcomeEveryScriptWithItsMarks() {
        assertEquals("회의실", names.roomName("회의실"));
        // Devanagari vowel signs and the virama are combining marks.
        assertEquals("नमस्ते", names.roomName("नमस्ते"));
    }

    @Test
    void roomNameLengthIsCountedInCharactersNotUtf16Units() {
        // U+20000 is one letter written as two UTF-16 units.
        String ten = "\uD840\uDC00".repeat(10);
        assertEquals(ten, names.roomName(ten));
        assertRefused(ErrorCode.INVALID_ROOM, () -> names.roomName(ten + "\uD840\uDC00"));
        assertRefused(ErrorCode.INVALID_ROOM, () -> names.roomName("abcdefghijk"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a?b", "a%2e", "<b>", "a\u0000b", "a\u2028b", "a\u2029b", "a\u200bb", "😀", "a#b"})
    void roomNamesRefuseWhatIsNotALetterDigitOrDashUnderscoreDot(String raw) {
        assertRefused(ErrorCode.INVALID_ROOM, () -> names.roomName(raw));
    }

    /** "." and ".." would make the links /r/. and /r/.., which browsers resolve to other pages. */
    @ParameterizedTest
    @ValueSource(strings = {".", "..", "..."})
    void aRoomNameOfDotsAloneIsRefused(String raw) {
        assertRefused(ErrorCode.INVALID_ROOM, () -> names.roomName(raw));
        assertEquals("v1.2", names.roomName("v1.2"));
    }

    @Test
    void chatLinesAreKeptAsTypedButNeverBlankNulOrTooLong() {
        assertEquals("  hi  ", names.chatText("  hi  "));
        assertEquals("😀😀😀😀😀", names.chatText("😀😀😀😀😀"));
        assertRefused(ErrorCode.EMPTY_MESSAGE, () -> names.chatText(" \n "));
        assertRefused(ErrorCode.INVALID_TEXT, () -> names.chatText("a\u0000b"));
        assertRefused(ErrorCode.MESSAGE_TOO_LONG, () -> names.chatText("1234567"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\n"})
    void anEmptyRoomNameIsRefused(String raw) {
        assertRefused(ErrorCode.INVALID_ROOM, () -> names.roomName(raw));
    }

    @Test
    void nicknamesKeepTheirCaseAndCollapseTheirSpaces() {
        assertEquals("Ana K.", names.nickname("  Ana    K. "));
        assertEquals("Jos\u00e9", names.nickname("Jose\u0301"));
    }

    @Test
    void nicknameLengthIsCountedAfterSpacesCollapse() {
        assertEquals("ab cd", names.nickname("ab" + " ".repeat(40) + "cd"));
        assertEquals("abcdef", names.nickname("abcdef"));
        assertRefused(ErrorCode.INVALID_NICKNAME, () -> names.nickname("abcdefg"));
        assertEquals("\uD840\uDC00".repeat(6), names.nickname("\uD840\uDC00".repeat(6)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ana\nK", "Ana\tK", "Ana\u0000", "Ana\u007f", "Ana\u2028K", "Ana\u2029K", "Ana\u202eK",
            "Ana\u200bK", "\u0085Ana"})
    void nicknamesRefuseControlFormatAndLineSeparatorCharacters(String raw) {
        // Newlines and U+2028/U+2029 would break log lines; U+202E would reverse how others read
        // the names after it; U+200B would make two names look the same.
        assertRefused(ErrorCode.INVALID_NICKNAME, () -> names.nickname(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "\u3000"})
    void anEmptyNicknameIsRefused(String raw) {
        assertRefused(ErrorCode.INVALID_NICKNAME, () -> names.nickname(raw));
    }

    private static void assertRefused(ErrorCode code, Runnable call) {
        Refusal refusal = assertThrows(Refusal.class, call::run);
        assertEquals(code, refusal.code());
    }
}
