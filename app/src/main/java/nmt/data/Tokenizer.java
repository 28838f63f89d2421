package nmt.data;

import java.util.List;

/** Splits normalized text into tokens and joins tokens back into the same text. */
public interface Tokenizer {
    List<String> tokenize(String text);

    /** The inverse of {@link #tokenize}: detokenize(tokenize(s)) equals s for normalized s. */
    String detokenize(List<String> tokens);

    /** How a token is shown on its own, e.g. on a plot axis: without marks that only guide detokenization. */
    default String label(String token) {
        return token;
    }

    /**
     * The tokenizer of a config's kind, without subwords: "bpe" gives the word tokenizer its merges
     * are learned on and applied after.
     *
     * @param kind "word", "char" or "bpe"; lang selects the apostrophe rule of the word tokenizer
     */
    static Tokenizer create(String kind, String lang) {
        return switch (kind) {
            case "word", "bpe" -> new WordTokenizer(lang);
            case "char" -> new CharTokenizer();
            default -> throw new IllegalArgumentException("unknown tokenizer " + kind);
        };
    }
}
