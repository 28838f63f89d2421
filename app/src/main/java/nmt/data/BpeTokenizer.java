package nmt.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subwords: the word tokenizer's tokens, each cut into BPE pieces. A piece followed by another
 * piece of the same word carries the joiner mark, as a word glued to its neighbour does, so the
 * word tokenizer's detokenization restores the exact text.
 */
public final class BpeTokenizer implements Tokenizer {
    private static final String JOINER = Character.toString(WordTokenizer.JOINER);

    private static final int CACHE_LIMIT = 200_000;

    private final WordTokenizer words;
    private final BpeCodes codes;
    private final Random random;
    private final double dropout;
    /** Pieces of a whole word token, joiner marks included: most tokens of a corpus repeat. */
    private final Map<String, List<String>> cache = new ConcurrentHashMap<>();

    public BpeTokenizer(WordTokenizer words, BpeCodes codes) {
        this(words, codes, null, 0);
    }

    private BpeTokenizer(WordTokenizer words, BpeCodes codes, Random random, double dropout) {
        this.words = words;
        this.codes = codes;
        this.random = random;
        this.dropout = dropout;
    }

    /** The same tokenizer with BPE-dropout, for segmenting training text differently every epoch. */
    public BpeTokenizer withDropout(Random random, double dropout) {
        return new BpeTokenizer(words, codes, random, dropout);
    }

    public BpeCodes codes() {
        return codes;
    }

    @Override
    public List<String> tokenize(String text) {
        return split(words.tokenize(text));
    }

    /** Cuts word-tokenizer tokens into pieces. */
    public List<String> split(List<String> wordTokens) {
        List<String> out = new ArrayList<>(wordTokens.size() * 2);
        for (String token : wordTokens) {
            if (dropout > 0) {
                addPieces(token, out);
                continue;
            }
            List<String> pieces = cache.get(token);
            if (pieces == null) {
                pieces = new ArrayList<>(4);
                addPieces(token, pieces);
                pieces = List.copyOf(pieces);
                if (cache.size() >= CACHE_LIMIT) {
                    cache.clear();
                }
                cache.put(token, pieces);
            }
            out.addAll(pieces);
        }
        return out;
    }

    private void addPieces(String token, List<String> out) {
        boolean leading = token.startsWith(JOINER);
        boolean trailing = token.length() > 1 && token.endsWith(JOINER);
        String core = core(token);
        if (core.isEmpty()) {
            out.add(token);
            return;
        }
        List<String> pieces = dropout > 0 ? codes.segment(core, random, dropout) : codes.segment(core);
        for (int i = 0; i < pieces.size(); i++) {
            boolean last = i == pieces.size() - 1;
            String piece = last ? pieces.get(i).substring(0, pieces.get(i).length() - BpeCodes.END_OF_WORD.length())
                    : pieces.get(i);
            out.add((i == 0 && leading ? JOINER : "") + piece + (!last || trailing ? JOINER : ""));
        }
    }

    /** A word-tokenizer token without its joiner marks: what BPE learns from and segments. */
    static String core(String token) {
        int start = token.startsWith(JOINER) ? 1 : 0;
        int end = token.length() > 1 && token.endsWith(JOINER) ? token.length() - 1 : token.length();
        return start >= end ? "" : token.substring(start, end);
    }

    @Override
    public String detokenize(List<String> tokens) {
        return words.detokenize(tokens);
    }

    @Override
    public String label(String token) {
        return words.label(token);
    }
}
