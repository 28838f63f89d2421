package nmt.data;

import java.util.ArrayList;
import java.util.List;

/** One token per code point; a space becomes the visible token U+2581 so it survives the vocabulary. */
public final class CharTokenizer implements Tokenizer {
    static final int SPACE = 0x2581;
    private static final String SPACE_TOKEN = Character.toString(SPACE);

    @Override
    public List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>(text.length());
        text.codePoints().forEach(cp -> tokens.add(cp == ' ' ? SPACE_TOKEN : Character.toString(cp)));
        return tokens;
    }

    @Override
    public String detokenize(List<String> tokens) {
        StringBuilder out = new StringBuilder();
        for (String token : tokens) {
            out.append(token.equals(SPACE_TOKEN) ? " " : token);
        }
        return out.toString();
    }
}
