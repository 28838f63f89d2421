package nmt.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Length-bucketed batches bounded by tokens, as fairseq makes them: examples sorted by length
 * (ties broken at random) are packed while {@code rows × longest side} stays within the budget,
 * padding included; the batch order is then shuffled. Same seed, same batches.
 */
public final class TokenBatcher {
    private TokenBatcher() {
    }

    /** @return example indices, one array per batch */
    public static List<int[]> batches(List<Example> examples, int maxTokens, Random random) {
        int n = examples.size();
        long[] tieBreak = new long[n];
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tieBreak[i] = random.nextLong();
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingInt(i -> examples.get(i).source().length)
                .thenComparingInt(i -> examples.get(i).target().length)
                .thenComparingLong(i -> tieBreak[i]));

        List<int[]> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int longest = 0;
        for (int index : order) {
            Example e = examples.get(index);
            int length = Math.max(e.source().length, e.target().length) + 1;
            int widened = Math.max(longest, length);
            if (!current.isEmpty() && (long) widened * (current.size() + 1) > maxTokens) {
                batches.add(toArray(current));
                current.clear();
                widened = length;
            }
            current.add(index);
            longest = widened;
        }
        if (!current.isEmpty()) {
            batches.add(toArray(current));
        }
        Collections.shuffle(batches, random);
        return batches;
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
