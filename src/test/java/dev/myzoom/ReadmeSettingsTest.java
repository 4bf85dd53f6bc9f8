package dev.myzoom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's settings table and {@link Config#SETTINGS} (what --help prints and the only list
 * the server reads) are written apart; this keeps them naming the same settings.
 */
class ReadmeSettingsTest {
    private static final Pattern NAME = Pattern.compile("`([A-Z][A-Z0-9_]*)`");

    @Test
    void everySettingHasARowAndEveryRowIsASetting() throws IOException {
        Set<String> documented = documented();
        Set<String> real = Config.SETTINGS.stream().map(Config.Setting::name).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(documented.size() > 10, "found the table? " + documented);

        Set<String> undocumented = new TreeSet<>(real);
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented, "settings missing from the README's table");

        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(real);
        assertEquals(Set.of(), unknown, "README rows that name no setting");
    }

    /**
     * The names in the first cell of each row of the table under "## Settings". A row may name
     * two settings that go together ("| `TLS_CERT`, `TLS_KEY` |").
     */
    private static Set<String> documented() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = lines.indexOf("## Settings");
        assertTrue(start >= 0, "README.md has no \"## Settings\" section");
        Set<String> names = new TreeSet<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("| `")) {
                Matcher m = NAME.matcher(line.substring(1, line.indexOf('|', 1)));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
