package nmt.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where one split of the corpus lives: one part or a list of parts, read one after the other. A
 * part is a TSV file (source TAB target) when it ends in {@code .tsv} or {@code .tsv.gz}, otherwise
 * a prefix to which {@code .<lang>} is appended for each side ({@code .<lang>.gz} when only the
 * compressed file exists).
 */
public record CorpusPaths(List<String> parts) {
    public CorpusPaths {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a corpus needs at least one path");
        }
    }

    public CorpusPaths(String path) {
        this(List.of(path));
    }

    /** A string, or a list of strings. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static CorpusPaths fromJson(Object value) {
        if (value instanceof String s) {
            return new CorpusPaths(s);
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return new CorpusPaths(list.stream().map(String.class::cast).toList());
        }
        throw new IllegalArgumentException("expected a path or a list of paths");
    }

    @JsonValue
    Object toJson() {
        return parts.size() == 1 ? parts.get(0) : parts;
    }

    public static boolean isTsv(String part) {
        return part.endsWith(".tsv") || part.endsWith(".tsv.gz");
    }

    /** The file of one language side of a prefix part: {@code part.lang}, or {@code part.lang.gz} if only that exists. */
    public static Path side(String part, String lang) {
        Path plain = Path.of(part + "." + lang);
        Path gzip = Path.of(part + "." + lang + ".gz");
        return !Files.exists(plain) && Files.exists(gzip) ? gzip : plain;
    }

    @Override
    public String toString() {
        return String.join(", ", parts);
    }
}
