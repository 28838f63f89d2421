package nmt.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nmt.InputError;

/** Token ↔ id mapping; ids 0..3 are the specials {@code <pad> <unk> <bos> <eos>}. */
public final class Vocabulary {
    public static final String PAD = "<pad>";
    public static final String UNK = "<unk>";
    public static final String BOS = "<bos>";
    public static final String EOS = "<eos>";
    public static final int PAD_ID = 0;
    public static final int UNK_ID = 1;
    public static final int BOS_ID = 2;
    public static final int EOS_ID = 3;
    private static final List<String> SPECIALS = List.of(PAD, UNK, BOS, EOS);

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            ids.put(tokens.get(i), i);
        }
    }

    /**
     * The specials, then tokens seen at least {@code minFreq} times, most frequent first (ties in
     * code-point order, so the result does not depend on corpus order), at most {@code maxSize} in all.
     */
    public static Vocabulary build(Collection<List<String>> sentences, int minFreq, int maxSize) {
        Map<String, Long> counts = new HashMap<>();
        for (List<String> sentence : sentences) {
            for (String token : sentence) {
                counts.merge(token, 1L, Long::sum);
            }
        }
        return fromCounts(counts, minFreq, maxSize);
    }

    /** As {@link #build}, from counts of each token. */
    public static Vocabulary fromCounts(Map<String, Long> counts, int minFreq, int maxSize) {
        List<String> tokens = new ArrayList<>(SPECIALS);
        counts.entrySet().stream()
                .filter(e -> e.getValue() >= minFreq && !SPECIALS.contains(e.getKey()))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())))
                .limit(Math.max(0, maxSize - SPECIALS.size()))
                .forEach(e -> tokens.add(e.getKey()));
        return new Vocabulary(tokens);
    }

    /** The tokens in id order. */
    public List<String> tokens() {
        return tokens;
    }

    /** One token per line, in id order. */
    public void save(Path file) throws IOException {
        Files.write(file, tokens, StandardCharsets.UTF_8);
    }

    public static Vocabulary load(Path file) {
        List<String> lines = TextFiles.readLines(file);
        if (lines.size() < SPECIALS.size() || !lines.subList(0, SPECIALS.size()).equals(SPECIALS)) {
            throw new InputError(file + ": not a vocabulary file (it must start with " + String.join(" ", SPECIALS) + ")");
        }
        if (lines.stream().distinct().count() != lines.size()) {
            throw new InputError(file + ": a token appears twice");
        }
        return new Vocabulary(lines);
    }

    public int size() {
        return tokens.size();
    }

    public int id(String token) {
        return ids.getOrDefault(token, UNK_ID);
    }

    public String token(int id) {
        return tokens.get(id);
    }

    public int[] encode(List<String> sentence) {
        int[] out = new int[sentence.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(sentence.get(i));
        }
        return out;
    }

    /** Tokens up to the first {@code <eos>}, with the other specials left out. */
    public List<String> decode(int[] sentence) {
        List<String> out = new ArrayList<>(sentence.length);
        for (int id : sentence) {
            if (id == EOS_ID) {
                break;
            }
            if (id > EOS_ID || id == UNK_ID) {
                out.add(tokens.get(id));
            }
        }
        return out;
    }
}
