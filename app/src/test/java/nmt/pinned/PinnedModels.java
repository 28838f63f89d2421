package nmt.pinned;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Three small models committed with the tests (digit reversal, trained for 54 updates each, so
 * their outputs are far from perfect and exercise search) and what {@code nmt translate} printed
 * with them when they were trained: every caller of the decoder must print exactly that.
 */
public final class PinnedModels {
    public static final List<String> TYPES = List.of("bahdanau", "luong", "transformer");

    private PinnedModels() {
    }

    /** The folder holding the models, the input and the expected outputs (copied among the test classes). */
    public static Path root() {
        try {
            return Path.of(PinnedModels.class.getResource("/pinned/input.txt").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path model(String type) {
        return root().resolve(type);
    }

    /** 43 lines: digit sequences, an empty line, one longer than the models' 20-token limit, an unknown token. */
    public static Path input() {
        return root().resolve("input.txt");
    }

    public static List<String> inputLines() {
        return read(input());
    }

    /** The expected output, one line per line of output. */
    public static String expected(String name) {
        try {
            return Files.readString(root().resolve("expected").resolve(name + ".txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> expectedLines(String name) {
        return expected(name).lines().toList();
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
