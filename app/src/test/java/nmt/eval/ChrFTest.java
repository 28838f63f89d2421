package nmt.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every expected number was computed by sacreBLEU 2.6.0 with
 * {@code CHRF(lowercase=LC).corpus_score(hyps, refs)}; the line is {@code str(score)}.
 */
class ChrFTest {
    record Case(String name, boolean lowercase, List<String> hypotheses, List<List<String>> references,
                double score, String line) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
            new Case("basic", false,
                    List.of("The cat sat on the mat.", "It is raining today!", "He read the book."),
                    List.of(List.of("The cat is sitting on the mat.", "It rains today!", "He has read the book.")),
                    55.69133301257176, "chrF2 = 55.69"),
            new Case("unicode punctuation and emoji", false,
                    List.of("L’homme a dit « bonjour »… puis 3,5 € ©2020.", "C’est l’été — enfin !",
                            "Ça coûte 1.000,50 ¥? 😀👍🏽"),
                    List.of(List.of("L’homme a dit « bonjour » … puis 3,5 €, ©2020.", "C’est l’été, enfin !",
                            "Ça coûte 1.000,50 ¥ ? 😀")),
                    88.18691542230843, "chrF2 = 88.19"),
            new Case("lowercase", true,
                    List.of("İSTANBUL ΣΑΣ Straße", "THE Cat"),
                    List.of(List.of("istanbul σας strasse", "the cat")),
                    79.61519961519961, "chrF2 = 79.62"),
            new Case("two references, best per segment", false,
                    List.of("the cat sat on the mat", "a quick brown fox", "hello"),
                    List.of(List.of("the cat is on the mat", "the fast brown fox", "hello there"),
                            List.of("a cat sat on a mat", "a quick brown dog", "hi")),
                    62.02393254935916, "chrF2 = 62.02"),
            new Case("empty, short and odd whitespace", false,
                    List.of("", "a", "ab c", "x\u00a0y\tz"),
                    List.of(List.of("something", "a", "abc", "x y z")),
                    38.21485836451096, "chrF2 = 38.21"),
            new Case("no match", false, List.of("qqq www"), List.of(List.of("zzz")), 0.0, "chrF2 = 0.00")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void corpusScoreEqualsSacreBleu(Case c) {
        ChrfScore score = new ChrF(c.lowercase(), "test").corpusScore(c.hypotheses(), c.references());
        assertEquals(c.line(), score.format());
        assertEquals(c.score(), score.score(), 1e-9);
    }

    /** The toy test set against {@link PerturbedToySet}. */
    @ParameterizedTest(name = "toy test set, lowercase {0}")
    @CsvSource({"false, 82.28038436430649, chrF2 = 82.28", "true, 82.37763396451876, chrF2 = 82.38"})
    void toyTestSetEqualsSacreBleu(boolean lowercase, double expected, String line) throws IOException {
        List<String> refs = PerturbedToySet.references();
        List<String> hyps = PerturbedToySet.hypotheses(refs);
        ChrfScore score = new ChrF(lowercase, "test").corpusScore(hyps, List.of(refs));
        assertEquals(line, score.format());
        assertEquals(expected, score.score(), 1e-9);
    }

    @Test
    void signatureMatchesSacreBleusLayout() {
        assertEquals("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:nmt-1.0",
                new ChrF(false, "nmt-1.0").signature(1));
    }
}
