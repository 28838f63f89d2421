package nmt.data;

import java.util.List;

/** One language side's way from raw text to token ids and back. */
public record TextPipeline(TextNormalizer normalizer, Tokenizer tokenizer, Vocabulary vocabulary) {

    public List<String> tokens(String raw) {
        return tokenizer.tokenize(normalizer.normalize(raw));
    }

    public int[] encode(String raw) {
        return vocabulary.encode(tokens(raw));
    }

    public String decode(int[] ids) {
        return tokenizer.detokenize(vocabulary.decode(ids));
    }
}
