package nmt.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every expected number here was computed by sacreBLEU 2.6.0 (pip install sacrebleu==2.6.0) with
 * {@code BLEU(tokenize=TOK, lowercase=LC).corpus_score(hyps, refs)} for corpus scores and
 * {@code BLEU(tokenize=TOK, lowercase=LC, effective_order=True).sentence_score(hyp, refs)} for
 * sentence scores; the expected line is {@code str(score)} with the signature removed.
 */
class BleuTest {
    record Case(String name, String tokenizer, boolean lowercase, List<String> hypotheses,
                List<List<String>> references, double score, String line, double[] sentenceScores) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
            new Case("basic 13a", "13a", false,
                    List.of("The cat sat on the mat.", "It is raining today!", "He read the book."),
                    List.of(List.of("The cat is sitting on the mat.", "It rains today!", "He has read the book.")),
                    42.88104504207589, "BLEU = 42.88 82.4/57.1/36.4/25.0 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)",
                    new double[] {42.38365628278778, 23.643540225079384, 57.89300674674101}),
            new Case("13a dashes quotes numbers", "13a", false,
                    List.of("A well-known 3-4 man said &quot;hello&quot; &amp; paid $1,000.50 in 2019-2020.", "Prices rose 5.5% - again...", "x&lt;y &gt; z"),
                    List.of(List.of("A well-known 3 - 4 man said \"hello\" & paid $1,000.50 in 2019 - 2020.", "Prices rose 5.5 % again...", "x<y > z")),
                    90.48670242115635, "BLEU = 90.49 97.0/93.3/88.9/83.3 (BP = 1.000 ratio = 1.031 hyp_len = 33 ref_len = 32)",
                    new double[] {100.00000000000004, 59.694917920196445, 100.00000000000004}),
            new Case("intl unicode punctuation", "intl", false,
                    List.of("L’homme a dit « bonjour »… puis 3,5 € ©2020.", "C’est l’été — enfin !", "Ça coûte 1.000,50 ¥?"),
                    List.of(List.of("L’homme a dit « bonjour » … puis 3,5 €, ©2020.", "C’est l’été, enfin !", "Ça coûte 1.000,50 ¥ ?")),
                    80.44735188717708, "BLEU = 80.45 96.4/88.0/77.3/73.7 (BP = 0.965 ratio = 0.966 hyp_len = 28 ref_len = 29)",
                    new double[] {82.9288386658654, 66.06328636027612, 100.00000000000004}),
            new Case("13a on unicode punctuation", "13a", false,
                    List.of("L’homme a dit « bonjour »… puis 3,5 € ©2020.", "C’est l’été — enfin !"),
                    List.of(List.of("L’homme a dit « bonjour » … puis 3,5 €, ©2020.", "C’est l’été, enfin !")),
                    38.834794082425915, "BLEU = 38.83 87.5/64.3/33.3/20.0 (BP = 0.882 ratio = 0.889 hyp_len = 16 ref_len = 18)",
                    new double[] {42.99352740507477, 30.213753973567677}),
            new Case("hypothesis longer than reference", "13a", false,
                    List.of("the the the cat cat sat sat on on the mat mat today", "a b c d e f g h"),
                    List.of(List.of("the cat sat on the mat", "a b c d")),
                    22.03811989246596, "BLEU = 22.04 47.6/42.1/17.6/6.7 (BP = 1.000 ratio = 2.100 hyp_len = 21 ref_len = 10)",
                    new double[] {17.194656088289214, 34.57207846419409}),
            new Case("zero matches at order 4", "13a", false,
                    List.of("the cat the mat", "dog runs fast here"),
                    List.of(List.of("the cat on the mat", "dog runs very fast")),
                    25.37538911566986, "BLEU = 25.38 87.5/50.0/12.5/12.5 (BP = 0.882 ratio = 0.889 hyp_len = 8 ref_len = 9)",
                    new double[] {35.1862973998119, 35.35533905932737}),
            new Case("empty hypothesis lines", "13a", false,
                    List.of("", "the cat sat on the mat", ""),
                    List.of(List.of("a reference", "the cat sat on the mat", "another one here")),
                    43.45982085070784, "BLEU = 43.46 100.0/100.0/100.0/100.0 (BP = 0.435 ratio = 0.545 hyp_len = 6 ref_len = 11)",
                    new double[] {0.0, 100.00000000000004, 0.0}),
            new Case("two references", "13a", false,
                    List.of("The quick brown fox jumps over the lazy dog.", "I have two apples and three pears."),
                    List.of(List.of("A quick brown fox jumped over the lazy dog.", "I own two apples and three pears."), List.of("The fast brown fox jumps over a lazy dog.", "I have got two apples and 3 pears.")),
                    74.76743906106104, "BLEU = 74.77 100.0/87.5/71.4/50.0 (BP = 1.000 ratio = 1.000 hyp_len = 18 ref_len = 18)",
                    new double[] {73.11104457090251, 76.520588325569}),
            new Case("two references tie on length", "13a", false,
                    List.of("one two three four five"),
                    List.of(List.of("one two three four"), List.of("one two three four five six")),
                    100.00000000000004, "BLEU = 100.00 100.0/100.0/100.0/100.0 (BP = 1.000 ratio = 1.250 hyp_len = 5 ref_len = 4)",
                    new double[] {100.00000000000004}),
            new Case("lowercase", "13a", true,
                    List.of("THE Cat SAT on The MAT.", "Hello World"),
                    List.of(List.of("the cat sat on the mat.", "hello world")),
                    100.00000000000004, "BLEU = 100.00 100.0/100.0/100.0/100.0 (BP = 1.000 ratio = 1.000 hyp_len = 9 ref_len = 9)",
                    new double[] {100.00000000000004, 100.00000000000004}),
            new Case("char tokenizer", "char", false,
                    List.of("猫がマットの上に座った。", "今日は雨です"),
                    List.of(List.of("猫はマットの上に座っていた。", "今日は雨が降っています")),
                    43.814790091298406, "BLEU = 43.81 88.9/68.8/57.1/50.0 (BP = 0.678 ratio = 0.720 hyp_len = 18 ref_len = 25)",
                    new double[] {58.118508161583655, 23.350308364304226}),
            new Case("none tokenizer", "none", false,
                    List.of("the cat, sat on the mat.", "hello world !"),
                    List.of(List.of("the cat , sat on the mat.", "hello world!")),
                    44.17918226831576, "BLEU = 44.18 66.7/42.9/40.0/33.3 (BP = 1.000 ratio = 1.000 hyp_len = 9 ref_len = 9)",
                    new double[] {45.48019047027906, 27.516060407455225}),
            new Case("no match at all", "13a", false,
                    List.of("xyz qqq"),
                    List.of(List.of("abc def ghi")),
                    0.0, "BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 0.607 ratio = 0.667 hyp_len = 2 ref_len = 3)",
                    new double[] {0.0}),
            new Case("trailing whitespace and nbsp", "13a", false,
                    List.of("Va !  ", "Il fait beau.\t"),
                    List.of(List.of("Va !", "Il fait beau.")),
                    100.00000000000004, "BLEU = 100.00 100.0/100.0/100.0/100.0 (BP = 1.000 ratio = 1.000 hyp_len = 6 ref_len = 6)",
                    new double[] {100.00000000000004, 100.00000000000004})
        );
    }

    private static Bleu bleu(Case c) {
        return new Bleu(BleuTokenizer.fromName(c.tokenizer()), c.lowercase(), "test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void corpusScoreEqualsSacreBleu(Case c) {
        BleuScore score = bleu(c).corpusScore(c.hypotheses(), c.references());
        assertEquals(c.line(), score.format());
        assertEquals(c.score(), score.score(), 1e-9);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sentenceScoresEqualSacreBleu(Case c) {
        Bleu bleu = bleu(c);
        for (int i = 0; i < c.hypotheses().size(); i++) {
            List<String> refs = new ArrayList<>();
            for (List<String> set : c.references()) {
                refs.add(set.get(i));
            }
            assertEquals(c.sentenceScores()[i], bleu.sentenceScore(c.hypotheses().get(i), refs).score(), 1e-9,
                    "sentence " + i);
        }
    }

    /** The toy test set against {@link PerturbedToySet}. */
    @ParameterizedTest(name = "toy test set, {0}, lowercase {1}")
    @CsvSource({
        "13a, false, 70.27101762700363, 'BLEU = 70.27 100.0/77.9/72.9/68.2 (BP = 0.891 ratio = 0.896 hyp_len = 5339 ref_len = 5957)'",
        "13a, true, 70.32243231412102, 'BLEU = 70.32 100.0/78.0/73.0/68.3 (BP = 0.891 ratio = 0.896 hyp_len = 5339 ref_len = 5957)'",
        "intl, false, 73.02861473561516, 'BLEU = 73.03 100.0/82.5/75.9/68.4 (BP = 0.903 ratio = 0.907 hyp_len = 6465 ref_len = 7127)'",
        "intl, true, 73.07975226003492, 'BLEU = 73.08 100.0/82.5/76.0/68.5 (BP = 0.903 ratio = 0.907 hyp_len = 6465 ref_len = 7127)'",
        "char, false, 84.44846222522588, 'BLEU = 84.45 100.0/95.7/90.8/87.0 (BP = 0.906 ratio = 0.910 hyp_len = 21244 ref_len = 23347)'",
        "char, true, 84.54217374274117, 'BLEU = 84.54 100.0/95.9/90.9/87.1 (BP = 0.906 ratio = 0.910 hyp_len = 21244 ref_len = 23347)'"
    })
    void toyTestSetEqualsSacreBleu(String tokenizer, boolean lowercase, double expected, String line) throws IOException {
        List<String> refs = PerturbedToySet.references();
        List<String> hyps = PerturbedToySet.hypotheses(refs);
        BleuScore score = new Bleu(BleuTokenizer.fromName(tokenizer), lowercase, "test").corpusScore(hyps, List.of(refs));
        assertEquals(line, score.format());
        assertEquals(expected, score.score(), 1e-9);
    }

    @org.junit.jupiter.api.Test
    void signatureNamesThisTool() {
        Bleu bleu = new Bleu(BleuTokenizer.INTL, true, "nmt-1.0");
        assertEquals("nrefs:2|case:lc|eff:no|tok:intl|smooth:exp|version:nmt-1.0", bleu.signature(2, false));
    }

    @org.junit.jupiter.api.Test
    void formatsHalfwayValuesLikePython() {
        assertEquals("0.12", PythonText.fixed(0.125, 2));
        assertEquals("0.38", PythonText.fixed(0.375, 2));
        assertEquals("2.67", PythonText.fixed(2.675, 2));
    }
}
