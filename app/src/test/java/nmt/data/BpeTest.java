package nmt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import nmt.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTest {
    /** Sennrich et al.'s example: low ×5, lower ×2, newest ×6, widest ×3. */
    private static final Map<String, Integer> WORDS = Map.of("low", 5, "lower", 2, "newest", 6, "widest", 3);

    @TempDir
    Path dir;

    @Test
    void learnsTheMostFrequentPairsFirst() {
        BpeLearner learner = new BpeLearner(WORDS);
        // l o w e n s i d, and the word-final w</w> r</w> t</w> (r and t never start or sit inside a word)
        assertEquals(11, learner.alphabetSize());
        List<String[]> merges = learner.learn(10, 2);
        // (e, s) and (s, t</w>) both occur 9 times: the tie goes to the pair that sorts first.
        assertArrayEquals(new String[] {"e", "s"}, merges.get(0));
        assertArrayEquals(new String[] {"es", "t</w>"}, merges.get(1));
        assertArrayEquals(new String[] {"l", "o"}, merges.get(2));
        // lo·w</w> 5, lo·w 2, w·e 2 (lower), n·e 6, e·w 6, w·est</w> 6, d·est</w> 3, w·i 3, i·d 3
        assertArrayEquals(new String[] {"e", "w"}, merges.get(3));
        assertTrue(merges.size() <= 10);
    }

    @Test
    void stopsAtTheMinimumFrequency() {
        List<String[]> merges = new BpeLearner(WORDS).learn(1000, 3);
        BpeCodes codes = new BpeCodes(merges);
        // Pairs seen twice (lo·w, w·e and e·r</w>, only in "lower") are never merged.
        assertEquals(List.of("lo", "w", "e", "r</w>"), codes.segment("lower"));
        assertEquals(List.of("newest</w>"), codes.segment("newest"));
        assertEquals(List.of("widest</w>"), codes.segment("widest"));
    }

    @Test
    void segmentsUnseenWordsByTheLearnedMerges() {
        BpeCodes codes = new BpeCodes(new BpeLearner(WORDS).learn(1000, 2));
        assertEquals(List.of("low", "est</w>"), codes.segment("lowest"));
        assertEquals(List.of("z", "o", "o</w>"), codes.segment("zoo"));
        assertEquals(List.of("é</w>"), codes.segment("é"));
    }

    @Test
    void tokensCarryTheJoinerAndDetokenizeExactly() {
        BpeCodes codes = new BpeCodes(new BpeLearner(WORDS).learn(1000, 2));
        BpeTokenizer tokenizer = new BpeTokenizer(new WordTokenizer("en"), codes);
        List<String> tokens = tokenizer.tokenize("lowest, zoo!");
        assertEquals(List.of("low\uFFED", "est", "\uFFED,", "z\uFFED", "o\uFFED", "o", "\uFFED!"), tokens);
        assertEquals("lowest, zoo!", tokenizer.detokenize(tokens));
        assertEquals(List.of("low", "est", ",", "z"), tokens.subList(0, 4).stream().map(tokenizer::label).toList());
    }

    @Test
    void dropoutGivesOtherSegmentationsOfTheSameWord() {
        BpeCodes codes = new BpeCodes(new BpeLearner(WORDS).learn(1000, 2));
        Random random = new Random(3);
        assertEquals(codes.segment("newest"), codes.segment("newest", random, 0.0));
        assertEquals(List.of("n", "e", "w", "e", "s", "t</w>"), codes.segment("newest", random, 1.0));
        Set<List<String>> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            List<String> pieces = codes.segment("newest", random, 0.3);
            assertEquals("newest</w>", String.join("", pieces));
            seen.add(pieces);
        }
        assertTrue(seen.size() >= 3, seen.toString());
        BpeTokenizer tokenizer = new BpeTokenizer(new WordTokenizer("en"), codes).withDropout(random, 0.5);
        for (int i = 0; i < 20; i++) {
            assertEquals("the newest, widest.", tokenizer.detokenize(tokenizer.tokenize("the newest, widest.")));
        }
    }

    @Test
    void mergesFileRoundTripsAndBadLinesAreNamed() throws IOException {
        BpeCodes codes = new BpeCodes(new BpeLearner(WORDS).learn(1000, 2));
        Path file = dir.resolve("bpe.txt");
        codes.save(file);
        BpeCodes loaded = BpeCodes.load(file);
        for (String word : List.of("lowest", "newer", "wider", "zoo")) {
            assertEquals(codes.segment(word), loaded.segment(word));
        }
        Files.writeString(file, "#nmt bpe merges\ne s\nes  t</w>\n");
        InputError e = assertThrows(InputError.class, () -> BpeCodes.load(file));
        assertEquals(file + ":3: expected two symbols separated by one space", e.getMessage());
    }

    /** The whole toy corpus, both sides, with merges learned on its training split. */
    @Test
    void roundTripsTheToyCorpus() {
        TextNormalizer normalizer = new TextNormalizer("nfc", false);
        for (String lang : List.of("en", "fr")) {
            WordTokenizer words = new WordTokenizer(lang);
            List<List<String>> train = new ArrayList<>();
            for (String line : TextFiles.readLines(Path.of("data/toy/train." + lang))) {
                train.add(words.tokenize(normalizer.normalize(line)));
            }
            BpeTokenizer tokenizer = new BpeTokenizer(words, new BpeCodes(BpeLearner.fromTokens(train).learn(2000, 2)));
            int split = 0;
            for (String part : List.of("train", "dev", "test")) {
                for (String line : TextFiles.readLines(Path.of("data/toy/" + part + "." + lang))) {
                    String normalized = normalizer.normalize(line);
                    List<String> tokens = tokenizer.tokenize(normalized);
                    assertEquals(normalized, tokenizer.detokenize(tokens), lang + " " + part + ": " + tokens);
                    split += tokens.size() > words.tokenize(normalized).size() ? 1 : 0;
                }
            }
            assertTrue(split > 1000, lang + ": only " + split + " lines have a word cut into subwords");
        }
    }
}
