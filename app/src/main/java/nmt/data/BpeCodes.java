package nmt.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import nmt.InputError;

/**
 * Learned BPE merges, applied to one word at a time: starting from its characters (the last marked
 * word-final), the pair with the earliest merge is merged until none applies. Results are cached
 * per word. With BPE-dropout (Provilkov et al. 2020) each applicable merge is skipped with
 * probability p at every step, giving a different segmentation of the same word each time.
 */
public final class BpeCodes {
    /** Marks a word-final symbol inside the merges; never part of an output token. */
    static final String END_OF_WORD = "</w>";
    private static final String HEADER = "#nmt bpe merges";
    private static final int CACHE_LIMIT = 200_000;

    private final List<String[]> merges;
    private final Map<String, Integer> ranks = new HashMap<>();
    private final Map<String, List<String>> cache = new ConcurrentHashMap<>();

    public BpeCodes(List<String[]> merges) {
        this.merges = List.copyOf(merges);
        for (int i = 0; i < merges.size(); i++) {
            ranks.putIfAbsent(key(merges.get(i)[0], merges.get(i)[1]), i);
        }
    }

    public int size() {
        return merges.size();
    }

    /** The word's pieces; the last one ends with {@link #END_OF_WORD}. */
    public List<String> segment(String word) {
        List<String> pieces = cache.get(word);
        if (pieces == null) {
            pieces = List.copyOf(segment(word, null, 0));
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(word, pieces);
        }
        return pieces;
    }

    /** A segmentation with BPE-dropout: every applicable merge is skipped with probability {@code dropout}. */
    public List<String> segment(String word, Random random, double dropout) {
        int[] cps = word.codePoints().toArray();
        List<String> symbols = new ArrayList<>(cps.length);
        for (int i = 0; i < cps.length; i++) {
            symbols.add(Character.toString(cps[i]) + (i == cps.length - 1 ? END_OF_WORD : ""));
        }
        while (symbols.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer rank = ranks.get(key(symbols.get(i), symbols.get(i + 1)));
                if (rank != null && rank < bestRank && (random == null || random.nextDouble() >= dropout)) {
                    bestRank = rank;
                }
            }
            if (bestRank == Integer.MAX_VALUE) {
                break;
            }
            String first = merges.get(bestRank)[0];
            String second = merges.get(bestRank)[1];
            List<String> merged = new ArrayList<>(symbols.size());
            for (int i = 0; i < symbols.size(); i++) {
                if (i + 1 < symbols.size() && symbols.get(i).equals(first) && symbols.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else {
                    merged.add(symbols.get(i));
                }
            }
            symbols = merged;
        }
        return symbols;
    }

    public void save(Path file) throws IOException {
        Files.write(file, lines(), StandardCharsets.UTF_8);
    }

    /** The merges file's lines: a header, then one merge per line. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>(merges.size() + 1);
        lines.add(HEADER);
        for (String[] merge : merges) {
            lines.add(merge[0] + " " + merge[1]);
        }
        return lines;
    }

    public static BpeCodes load(Path file) {
        List<String> lines = TextFiles.readLines(file);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new InputError(file + ":1: not a merges file written by nmt (expected \"" + HEADER + "\")");
        }
        List<String[]> merges = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String[] pair = lines.get(i).split(" ", -1);
            if (pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()) {
                throw new InputError(file + ":" + (i + 1) + ": expected two symbols separated by one space");
            }
            merges.add(pair);
        }
        return new BpeCodes(merges);
    }

    private static String key(String first, String second) {
        return first + '\u0000' + second;
    }
}
