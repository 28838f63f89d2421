package nmt.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WordTokenizerTest {
    private static final String J = "\uFFED";

    @Test
    void splitsPunctuationWithJoinersOnTheGluedSide() {
        WordTokenizer en = new WordTokenizer("en");
        assertEquals(List.of("Hello", J + ",", "world", J + "!"), en.tokenize("Hello, world!"));
        assertEquals(List.of("(" + J, "yes", J + ")"), en.tokenize("(yes)"));
        assertEquals(List.of("Va", "!"), new WordTokenizer("fr").tokenize("Va !"));
    }

    @Test
    void frenchElisionSplitsAfterTheApostrophe() {
        WordTokenizer fr = new WordTokenizer("fr");
        assertEquals(List.of("l'" + J, "homme"), fr.tokenize("l'homme"));
        assertEquals(List.of("Qu’" + J, "est-ce", "qu'" + J, "il", "y", "a", J + "?"), fr.tokenize("Qu’est-ce qu'il y a?"));
    }

    @Test
    void englishCliticsSplitBeforeTheApostrophe() {
        WordTokenizer en = new WordTokenizer("en");
        assertEquals(List.of("I", "don", J + "'t", "know", J + "."), en.tokenize("I don't know."));
        assertEquals(List.of("Tom", J + "'s", "car"), en.tokenize("Tom's car"));
        assertEquals(List.of("'" + J, "quoted", J + "'"), en.tokenize("'quoted'"));
    }

    @Test
    void numbersAndHyphenatedWordsStayWhole() {
        WordTokenizer en = new WordTokenizer("en");
        assertEquals(List.of("It", "costs", "$" + J, "1,000.50", J + "."), en.tokenize("It costs $1,000.50."));
        assertEquals(List.of("a", "well-known", "fact"), en.tokenize("a well-known fact"));
    }

    @Test
    void emojiSequencesStayWhole() {
        WordTokenizer en = new WordTokenizer("en");
        assertEquals(List.of("ok", J + "👍🏽", J + "👨‍👩‍👧"), en.tokenize("ok👍🏽👨‍👩‍👧"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "en|I don't know what's going on, Tom's \"friend\" said...",
        "fr|« Qu'est-ce que c'est ? » demanda-t-il à l’homme.",
        "de|Das kostet 3,50 € (ca.) — oder?",
        "ja|日本語のテキスト、句読点。",
        "en|emoji 🙂 and ZWJ 👩‍💻 ok?!"
    })
    void detokenizeInvertsTokenize(String lang, String text) {
        WordTokenizer t = new WordTokenizer(lang);
        assertEquals(text, t.detokenize(t.tokenize(text)));
    }

    @Test
    void roundTripsTheWholeToyCorpus() {
        TextNormalizer normalizer = new TextNormalizer("nfc", false);
        for (String lang : List.of("en", "fr")) {
            WordTokenizer t = new WordTokenizer(lang);
            CharTokenizer c = new CharTokenizer();
            for (String split : List.of("train", "dev", "test")) {
                for (String line : TextFiles.readLines(Path.of("data/toy/" + split + "." + lang))) {
                    String s = normalizer.normalize(line);
                    assertEquals(s, t.detokenize(t.tokenize(s)), split + "." + lang);
                    assertEquals(s, c.detokenize(c.tokenize(s)), split + "." + lang);
                }
            }
        }
    }
}
