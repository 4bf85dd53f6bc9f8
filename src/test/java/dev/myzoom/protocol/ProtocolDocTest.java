package dev.myzoom.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md is what client authors read: every message type the server reads or sends,
 * and every error code, must be in it, so that a new one cannot ship undocumented.
 */
class ProtocolDocTest {
    private static final Path DOC = Path.of("docs/protocol.md");

    @Test
    void everyClientMessageTypeHasAHeading() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        Set<String> missing = new TreeSet<>();
        for (String type : MessageCodec.clientTypes()) {
            if (!inHeading(doc, type)) {
                missing.add(type);
            }
        }
        assertEquals(Set.of(), missing, "client messages without a `type` heading in " + DOC);
    }

    @Test
    void everyServerMessageTypeHasAHeadingOrAnExample() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        Set<String> types = serverTypes();
        // Replies share "ack", so the sealed interface must have yielded more than a handful.
        assertTrue(types.containsAll(Set.of("welcome", "ack", "error", "chat")), "read " + types);
        Set<String> missing = new TreeSet<>();
        for (String type : types) {
            // Replies ("ack", "error") are shown by example rather than given a heading.
            if (!inHeading(doc, type) && !doc.contains("\"type\":\"" + type + "\"")) {
                missing.add(type);
            }
        }
        assertEquals(Set.of(), missing, "server messages missing from " + DOC);
    }

    @Test
    void everyErrorCodeIsInTheErrorsTable() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        Set<String> missing = new TreeSet<>();
        for (ErrorCode code : ErrorCode.values()) {
            if (!doc.contains("| `" + code.wire() + "` |")) {
                missing.add(code.wire());
            }
        }
        assertEquals(Set.of(), missing, "error codes without a row in " + DOC);
    }

    /** Whether a heading line names {@code type} in backticks, as "### `join`: enter a room" does. */
    private static boolean inHeading(String doc, String type) {
        return doc.lines().anyMatch(line -> line.startsWith("#") && line.contains("`" + type + "`"));
    }

    /**
     * The wire type of every record that implements {@link ServerMessage}. Each returns a
     * constant, so a record made with nulls, zeros and false answers it as well as a real one.
     */
    static Set<String> serverTypes() throws ReflectiveOperationException {
        Set<String> types = new TreeSet<>();
        for (Class<?> type : ServerMessage.class.getPermittedSubclasses()) {
            assertTrue(type.isRecord(), type + " is not a record; read its type another way");
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] parameters = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<?> canonical = type.getDeclaredConstructor(parameters);
            Object[] arguments = Arrays.stream(parameters).map(ProtocolDocTest::blank).toArray();
            types.add(((ServerMessage) canonical.newInstance(arguments)).type());
        }
        return types;
    }

    /** The value a field of {@code type} starts with (null, 0, false), read off a new array. */
    private static Object blank(Class<?> type) {
        return Array.get(Array.newInstance(type, 1), 0);
    }
}
