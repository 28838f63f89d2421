package nmt.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Learns byte-pair-encoding merges from word counts (Sennrich et al. 2016): every word starts as
 * its characters, the last one marked as word-final; the most frequent adjacent pair of symbols is
 * merged, again and again. Pair counts live in a map with a lazy max-heap over them, and an index
 * from each pair to the words that contain it, so a merge touches only those words instead of
 * rescanning the vocabulary. Ties go to the pair whose symbols sort first.
 */
public final class BpeLearner {
    private final List<String> symbols = new ArrayList<>();
    private final Map<String, Integer> symbolIds = new HashMap<>();
    private final List<int[]> words = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();
    private final Map<Long, Long> pairCounts = new HashMap<>();
    private final Map<Long, Set<Integer>> pairWords = new HashMap<>();
    private final PriorityQueue<Candidate> heap = new PriorityQueue<>();
    private final int alphabetSize;

    private record Candidate(long pair, long count, String first, String second) implements Comparable<Candidate> {
        @Override
        public int compareTo(Candidate o) {
            int byCount = Long.compare(o.count, count);
            if (byCount != 0) {
                return byCount;
            }
            int byFirst = first.compareTo(o.first);
            return byFirst != 0 ? byFirst : second.compareTo(o.second);
        }
    }

    /** @param wordCounts how often each word (without spaces or joiner marks) occurs in the training text */
    public BpeLearner(Map<String, Integer> wordCounts) {
        List<String> sorted = new ArrayList<>(wordCounts.keySet());
        sorted.sort(null);
        for (String word : sorted) {
            int[] cps = word.codePoints().toArray();
            if (cps.length == 0) {
                continue;
            }
            int[] ids = new int[cps.length];
            for (int i = 0; i < cps.length; i++) {
                String symbol = Character.toString(cps[i]) + (i == cps.length - 1 ? BpeCodes.END_OF_WORD : "");
                ids[i] = symbolId(symbol);
            }
            words.add(ids);
            counts.add(wordCounts.get(word));
        }
        alphabetSize = symbols.size();
        for (int w = 0; w < words.size(); w++) {
            addPairs(w, 1);
        }
        for (Map.Entry<Long, Long> e : pairCounts.entrySet()) {
            push(e.getKey(), e.getValue());
        }
    }

    /** Counts the words (joiner marks removed) of word-tokenized sentences. */
    public static BpeLearner fromTokens(Collection<List<String>> sentences) {
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> sentence : sentences) {
            for (String token : sentence) {
                String core = BpeTokenizer.core(token);
                if (!core.isEmpty()) {
                    counts.merge(core, 1, Integer::sum);
                }
            }
        }
        return new BpeLearner(counts);
    }

    /** The symbols words start from: every character, and every word-final character. */
    public int alphabetSize() {
        return alphabetSize;
    }

    /**
     * Merges until {@code maxMerges} are learned or no pair occurs {@code minFrequency} times.
     *
     * @return the merges in the order learned, each as its two symbols
     */
    public List<String[]> learn(int maxMerges, int minFrequency) {
        List<String[]> merges = new ArrayList<>();
        while (merges.size() < maxMerges && !heap.isEmpty()) {
            Candidate best = heap.poll();
            Long current = pairCounts.get(best.pair);
            if (current == null || current != best.count) {
                continue;
            }
            if (best.count < minFrequency) {
                break;
            }
            merges.add(new String[] {best.first, best.second});
            merge(best.pair, symbolId(best.first + best.second));
        }
        return merges;
    }

    private void merge(long pair, int merged) {
        int a = (int) (pair >>> 32);
        int b = (int) pair;
        Set<Long> changed = new HashSet<>();
        for (int w : new ArrayList<>(pairWords.getOrDefault(pair, Set.of()))) {
            int[] word = words.get(w);
            int[] replaced = new int[word.length];
            int n = 0;
            for (int i = 0; i < word.length; i++) {
                if (i + 1 < word.length && word[i] == a && word[i + 1] == b) {
                    replaced[n++] = merged;
                    i++;
                } else {
                    replaced[n++] = word[i];
                }
            }
            if (n == word.length) {
                continue;
            }
            Set<Long> before = addPairs(w, -1);
            words.set(w, Arrays.copyOf(replaced, n));
            Set<Long> after = addPairs(w, 1);
            for (long p : before) {
                if (!after.contains(p)) {
                    Set<Integer> holders = pairWords.get(p);
                    if (holders != null) {
                        holders.remove(w);
                    }
                }
            }
            changed.addAll(before);
            changed.addAll(after);
        }
        pairWords.remove(pair);
        for (long p : changed) {
            push(p, pairCounts.getOrDefault(p, 0L));
        }
    }

    /** Adds (sign 1) or removes (sign −1) the word's adjacent pairs, weighted by its count; returns them. */
    private Set<Long> addPairs(int w, int sign) {
        int[] word = words.get(w);
        long count = (long) sign * counts.get(w);
        Set<Long> pairs = new HashSet<>();
        for (int i = 0; i + 1 < word.length; i++) {
            long p = ((long) word[i] << 32) | (word[i + 1] & 0xffffffffL);
            long updated = pairCounts.getOrDefault(p, 0L) + count;
            if (updated == 0) {
                pairCounts.remove(p);
            } else {
                pairCounts.put(p, updated);
            }
            pairs.add(p);
            if (sign > 0) {
                pairWords.computeIfAbsent(p, k -> new HashSet<>()).add(w);
            }
        }
        return pairs;
    }

    private void push(long pair, long count) {
        if (count > 0) {
            heap.add(new Candidate(pair, count, symbols.get((int) (pair >>> 32)), symbols.get((int) pair)));
        }
    }

    private int symbolId(String symbol) {
        Integer id = symbolIds.get(symbol);
        if (id == null) {
            id = symbols.size();
            symbols.add(symbol);
            symbolIds.put(symbol, id);
        }
        return id;
    }
}
