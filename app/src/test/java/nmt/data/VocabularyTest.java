package nmt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nmt.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
    private static final List<List<String>> SENTENCES = List.of(
            List.of("b", "a", "c"), List.of("a", "b"), List.of("a", "d"));

    @Test
    void specialsFirstThenByFrequencyThenCodePoint() {
        Vocabulary v = Vocabulary.build(SENTENCES, 1, 100);
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "a", "b", "c", "d"),
                java.util.stream.IntStream.range(0, v.size()).mapToObj(v::token).toList());
    }

    @Test
    void minFrequencyAndMaxSizeLimit() {
        assertEquals(6, Vocabulary.build(SENTENCES, 2, 100).size());
        assertEquals(5, Vocabulary.build(SENTENCES, 1, 5).size());
    }

    @Test
    void unknownTokensMapToUnkAndDecodeStopsAtEos() {
        Vocabulary v = Vocabulary.build(SENTENCES, 1, 100);
        assertArrayEquals(new int[] {4, Vocabulary.UNK_ID, 5}, v.encode(List.of("a", "zebra", "b")));
        assertEquals(List.of("a", "<unk>", "b"),
                v.decode(new int[] {Vocabulary.BOS_ID, 4, 1, 0, 5, Vocabulary.EOS_ID, 6}));
    }

    @Test
    void savesAndLoads(@TempDir Path dir) throws IOException {
        Vocabulary v = Vocabulary.build(SENTENCES, 1, 100);
        Path file = dir.resolve("vocab.txt");
        v.save(file);
        Vocabulary loaded = Vocabulary.load(file);
        assertEquals(v.size(), loaded.size());
        assertEquals(6, loaded.id("c"));
    }

    @Test
    void rejectsAFileWithoutSpecials(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("vocab.txt");
        Files.writeString(file, "a\nb\n");
        InputError e = assertThrows(InputError.class, () -> Vocabulary.load(file));
        assertEquals(file + ": not a vocabulary file (it must start with <pad> <unk> <bos> <eos>)", e.getMessage());
    }
}
