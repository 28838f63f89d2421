package nmt.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.file.Path;

/**
 * Where one split of the corpus lives: a TSV file (source TAB target) when the path ends in
 * {@code .tsv}, otherwise a prefix to which {@code .<lang>} is appended for each side.
 */
public record CorpusPaths(@JsonValue String path) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public CorpusPaths {
    }

    public boolean isTsv() {
        return path.endsWith(".tsv");
    }

    public Path tsv() {
        return Path.of(path);
    }

    public Path side(String lang) {
        return Path.of(path + "." + lang);
    }

    @Override
    public String toString() {
        return path;
    }
}
