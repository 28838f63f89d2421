package nmt.data;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Length-bucketed batches bounded by tokens, as fairseq makes them: pairs sorted by source length,
 * then target length, ties broken at random, are packed while {@code rows × longest side} stays
 * within the budget, padding included; the batch order is then shuffled. Same seed, same batches.
 * It works on indices and primitive arrays (about 20 bytes a pair while it runs), so that tens of
 * millions of pairs batch without boxing.
 */
public final class TokenBatcher {
    private static final long HIGH_BITS = 0xFFFF_FFFF_0000_0000L;

    private TokenBatcher() {
    }

    /** @return example indices, one array per batch */
    public static List<int[]> batches(List<Example> examples, int maxTokens, Random random) {
        return batches(TrainingPairs.of(examples), maxTokens, random);
    }

    /**
     * @return pair indices, one array per batch; the list is a view over one array of all indices
     *         (the arrays are cut from it when read), so batching tens of millions of pairs makes no
     *         small arrays
     */
    public static List<int[]> batches(TrainingPairs pairs, int maxTokens, Random random) {
        int[] widths = new int[pairs.size()];
        int[] order = sortedByLength(pairs, random, widths);
        int[] starts = new int[16];
        int count = 0;
        int longest = 0;
        for (int k = 0; k < order.length; k++) {
            int length = widths[k];
            int widened = Math.max(longest, length);
            if (k == 0 || (long) widened * (k - starts[count - 1] + 1) > maxTokens) {
                if (count + 1 == starts.length) {
                    starts = Arrays.copyOf(starts, starts.length * 2);
                }
                starts[count++] = k;
                widened = length;
            }
            longest = widened;
        }
        starts[count] = order.length;
        // Collections.shuffle's walk, on batch numbers: the same order it gave a list of the batches.
        int[] shuffled = new int[count];
        for (int b = 0; b < count; b++) {
            shuffled[b] = b;
        }
        for (int i = count; i > 1; i--) {
            int j = random.nextInt(i);
            int swap = shuffled[i - 1];
            shuffled[i - 1] = shuffled[j];
            shuffled[j] = swap;
        }
        int[] bounds = starts;
        return new AbstractList<>() {
            @Override
            public int[] get(int b) {
                return Arrays.copyOfRange(order, bounds[shuffled[b]], bounds[shuffled[b] + 1]);
            }

            @Override
            public int size() {
                return shuffled.length;
            }
        };
    }

    /**
     * Indices ordered by (source length, target length, a random long drawn per index in index order).
     * A counting sort on the source length draws each pair's tie-break as it passes and carries it,
     * with the target length, next to the index; each source bucket is then counting-sorted on the
     * target length, and each run of equal lengths sorted on the tie-break with the primitive sort
     * (its top 32 bits packed above the run position; the rare equal tops ordered by the whole value).
     * Every pass reads memory in order, which is what makes tens of millions of pairs quick.
     *
     * @param widths receives, per position, the longer side's length plus one ({@code <eos>})
     */
    private static int[] sortedByLength(TrainingPairs pairs, Random random, int[] widths) {
        int n = pairs.size();
        int[] bucketStarts = new int[64];
        for (int i = 0; i < n; i++) {
            int source = pairs.sourceLength(i);
            if (source + 2 > bucketStarts.length) {
                bucketStarts = Arrays.copyOf(bucketStarts, Math.max(source + 2, bucketStarts.length * 2));
            }
            bucketStarts[source + 1]++;
        }
        int largestBucket = 0;
        for (int s = 1; s < bucketStarts.length; s++) {
            largestBucket = Math.max(largestBucket, bucketStarts[s]);
            bucketStarts[s] += bucketStarts[s - 1];
        }
        int[] order = new int[n];
        long[] ties = new long[n];
        int[] targets = widths;
        int[] next = bucketStarts.clone();
        for (int i = 0; i < n; i++) {
            int at = next[pairs.sourceLength(i)]++;
            order[at] = i;
            ties[at] = random.nextLong();
            targets[at] = pairs.targetLength(i);
        }
        // Buckets are independent: sorted on every core, each thread with arrays of its own.
        int[] starts = bucketStarts;
        int largest = largestBucket;
        ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(() -> new Scratch(largest));
        IntStream.range(0, starts.length - 1).parallel().forEach(
                s -> sortBucket(order, ties, targets, s, starts[s], starts[s + 1], scratch.get()));
        return order;
    }

    /** Arrays reused from bucket to bucket, sized for the largest. */
    private static final class Scratch {
        final int[] order;
        final long[] ties;
        final long[] packed;
        int[] counts = new int[0];

        Scratch(int size) {
            order = new int[size];
            ties = new long[size];
            packed = new long[size];
        }
    }

    /**
     * Sorts {@code [from, to)}, pairs of one source length, by target length and then tie-break; the
     * target lengths give way to the widths of the sorted pairs.
     */
    private static void sortBucket(int[] order, long[] ties, int[] targets, int source, int from, int to,
                                   Scratch scratch) {
        int longest = 0;
        for (int k = from; k < to; k++) {
            longest = Math.max(longest, targets[k]);
        }
        if (scratch.counts.length < longest + 2) {
            scratch.counts = new int[longest + 2];
        }
        int[] counts = scratch.counts;
        Arrays.fill(counts, 0, longest + 2, 0);
        for (int k = from; k < to; k++) {
            counts[targets[k] + 1]++;
        }
        for (int t = 1; t < longest + 2; t++) {
            counts[t] += counts[t - 1];
        }
        for (int k = from; k < to; k++) {
            int at = counts[targets[k]]++;
            scratch.order[at] = order[k];
            scratch.ties[at] = ties[k];
        }
        // counts[t] is now where target length t + 1 begins
        int runStart = 0;
        for (int t = 0; t <= longest; t++) {
            int runEnd = counts[t];
            sortRun(scratch, runStart, runEnd, order, from);
            Arrays.fill(targets, from + runStart, from + runEnd, Math.max(source, t) + 1);
            runStart = runEnd;
        }
    }

    /** Sorts {@code scratch.order[from, to)}, one pair of lengths, by tie-break into {@code order[offset + from...]}. */
    private static void sortRun(Scratch scratch, int from, int to, int[] order, int offset) {
        int m = to - from;
        if (m == 1) {
            order[offset + from] = scratch.order[from];
            return;
        }
        long[] packed = scratch.packed;
        for (int k = 0; k < m; k++) {
            packed[k] = (scratch.ties[from + k] & HIGH_BITS) | k;
        }
        Arrays.sort(packed, 0, m);
        for (int k = 0; k < m; ) {
            int end = k + 1;
            while (end < m && (packed[end] & HIGH_BITS) == (packed[k] & HIGH_BITS)) {
                end++;
            }
            orderByWholeTie(packed, k, end, scratch.ties, from);
            k = end;
        }
        for (int k = 0; k < m; k++) {
            order[offset + from + k] = scratch.order[from + (int) (packed[k] & ~HIGH_BITS)];
        }
    }

    /** Insertion sort of {@code packed[from, to)}, whose top bits are equal, by the whole tie-break. */
    private static void orderByWholeTie(long[] packed, int from, int to, long[] ties, int runStart) {
        for (int i = from + 1; i < to; i++) {
            long moving = packed[i];
            long key = ties[runStart + (int) (moving & ~HIGH_BITS)];
            int j = i;
            while (j > from && ties[runStart + (int) (packed[j - 1] & ~HIGH_BITS)] > key) {
                packed[j] = packed[j - 1];
                j--;
            }
            packed[j] = moving;
        }
    }
}
