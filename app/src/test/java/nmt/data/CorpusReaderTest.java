package nmt.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nmt.InputError;
import nmt.config.CorpusPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsBomCrlfAndKeepsEmptyLines() throws IOException {
        Path file = dir.resolve("a.txt");
        Files.write(file, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', '\r', '\n', '\n', 'b', '\r', 'c'});
        assertEquals(List.of("a", "", "b\rc"), TextFiles.readLines(file));
    }

    @Test
    void invalidUtf8NamesTheLine() throws IOException {
        Path file = dir.resolve("bad.txt");
        Files.write(file, new byte[] {'o', 'k', '\n', 'x', (byte) 0xC3, '\n'});
        InputError e = assertThrows(InputError.class, () -> TextFiles.readLines(file));
        assertEquals(file + ":2: invalid UTF-8", e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("none.en");
        InputError e = assertThrows(InputError.class, () -> TextFiles.readLines(file));
        assertEquals(file + ": file not found", e.getMessage());
    }

    @Test
    void alignedFilesMustHaveEqualLineCounts() throws IOException {
        Files.writeString(dir.resolve("t.en"), "a\nb\nc\n");
        Files.writeString(dir.resolve("t.fr"), "a\nb\n");
        CorpusPaths paths = new CorpusPaths(dir.resolve("t").toString());
        InputError e = assertThrows(InputError.class, () -> CorpusReader.read(paths, "en", "fr"));
        assertEquals(dir.resolve("t.en") + " has 3 lines but " + dir.resolve("t.fr")
                + " has 2: the files must be line-aligned", e.getMessage());
    }

    @Test
    void tsvTakesTheFirstTwoColumnsAndNamesALineWithoutTab() throws IOException {
        Path file = dir.resolve("c.tsv");
        Files.writeString(file, "Go.\tVa !\tCC-BY\nRun!\tCours !\n");
        ParallelCorpus corpus = CorpusReader.read(new CorpusPaths(file.toString()), "en", "fr");
        assertEquals(List.of("Go.", "Run!"), corpus.source());
        assertEquals(List.of("Va !", "Cours !"), corpus.target());

        Files.writeString(file, "Go.\tVa !\nno tab here\n");
        InputError e = assertThrows(InputError.class, () -> CorpusReader.read(new CorpusPaths(file.toString()), "en", "fr"));
        assertEquals(file + ":2: no tab between source and target", e.getMessage());
    }
}
