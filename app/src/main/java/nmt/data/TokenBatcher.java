package nmt.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Length-bucketed batches bounded by tokens, as fairseq makes them: pairs sorted by source length,
 * then target length, ties broken at random, are packed while {@code rows × longest side} stays
 * within the budget, padding included; the batch order is then shuffled. Same seed, same batches.
 * It works on indices and primitive arrays (about 20 bytes a pair while it runs), so that tens of
 * millions of pairs batch without boxing.
 */
public final class TokenBatcher {
    private static final int INSERTION_SORT_BELOW = 16;

    private TokenBatcher() {
    }

    /** @return example indices, one array per batch */
    public static List<int[]> batches(List<Example> examples, int maxTokens, Random random) {
        return batches(TrainingPairs.of(examples), maxTokens, random);
    }

    /** @return pair indices, one array per batch */
    public static List<int[]> batches(TrainingPairs pairs, int maxTokens, Random random) {
        int[] order = sortedByLength(pairs, random);
        List<int[]> batches = new ArrayList<>();
        int start = 0;
        int longest = 0;
        for (int k = 0; k < order.length; k++) {
            int index = order[k];
            int length = Math.max(pairs.sourceLength(index), pairs.targetLength(index)) + 1;
            int widened = Math.max(longest, length);
            if (k > start && (long) widened * (k - start + 1) > maxTokens) {
                batches.add(Arrays.copyOfRange(order, start, k));
                start = k;
                widened = length;
            }
            longest = widened;
        }
        if (start < order.length) {
            batches.add(Arrays.copyOfRange(order, start, order.length));
        }
        Collections.shuffle(batches, random);
        return batches;
    }

    /**
     * Indices ordered by (source length, target length, a random long drawn per index in index order):
     * a counting sort on the source length, then each bucket sorted on the rest.
     */
    private static int[] sortedByLength(TrainingPairs pairs, Random random) {
        int n = pairs.size();
        long[] tieBreak = new long[n];
        int longestSource = 0;
        for (int i = 0; i < n; i++) {
            tieBreak[i] = random.nextLong();
            longestSource = Math.max(longestSource, pairs.sourceLength(i));
        }
        int[] starts = new int[longestSource + 2];
        for (int i = 0; i < n; i++) {
            starts[pairs.sourceLength(i) + 1]++;
        }
        for (int s = 1; s < starts.length; s++) {
            starts[s] += starts[s - 1];
        }
        int[] order = new int[n];
        int[] next = starts.clone();
        for (int i = 0; i < n; i++) {
            order[next[pairs.sourceLength(i)]++] = i;
        }
        for (int s = 0; s + 1 < starts.length; s++) {
            sort(order, starts[s], starts[s + 1], pairs, tieBreak);
        }
        return order;
    }

    private static boolean before(int a, int b, TrainingPairs pairs, long[] tieBreak) {
        int byTarget = Integer.compare(pairs.targetLength(a), pairs.targetLength(b));
        return byTarget != 0 ? byTarget < 0 : tieBreak[a] < tieBreak[b];
    }

    /** Quicksort of {@code order[from, to)} by target length and tie-break; the keys are random, so pivots are good. */
    private static void sort(int[] order, int from, int to, TrainingPairs pairs, long[] tieBreak) {
        while (to - from >= INSERTION_SORT_BELOW) {
            int pivot = order[from + (to - from) / 2];
            int i = from;
            int j = to - 1;
            while (i <= j) {
                while (before(order[i], pivot, pairs, tieBreak)) {
                    i++;
                }
                while (before(pivot, order[j], pairs, tieBreak)) {
                    j--;
                }
                if (i <= j) {
                    int swap = order[i];
                    order[i++] = order[j];
                    order[j--] = swap;
                }
            }
            if (j - from < to - i) {
                sort(order, from, j + 1, pairs, tieBreak);
                from = i;
            } else {
                sort(order, i, to, pairs, tieBreak);
                to = j + 1;
            }
        }
        for (int i = from + 1; i < to; i++) {
            int value = order[i];
            int j = i - 1;
            while (j >= from && before(value, order[j], pairs, tieBreak)) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = value;
        }
    }
}
