package nmt.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {
    @Test
    void collapsesUnicodeSpacesAndDropsControlCharacters() {
        TextNormalizer n = new TextNormalizer("nfc", false);
        assertEquals("Va !", n.normalize("  Va\u202F!\t\r"));
        assertEquals("ab c", n.normalize("\uFEFFa\u0007b\u00A0 c"));
    }

    @Test
    void normalizesAndLowercases() {
        assertEquals("é", new TextNormalizer("nfc", false).normalize("e\u0301"));
        assertEquals("e\u0301", new TextNormalizer("none", false).normalize("e\u0301"));
        assertEquals("fi 2", new TextNormalizer("nfkc", false).normalize("ﬁ ²"));
        assertEquals("école", new TextNormalizer("nfc", true).normalize("ÉCOLE"));
    }
}
