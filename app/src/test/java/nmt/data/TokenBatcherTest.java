package nmt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenBatcherTest {
    private static List<Example> examples(int n, long seed) {
        Random r = new Random(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Example(new int[1 + r.nextInt(20)], new int[1 + r.nextInt(20)]));
        }
        return out;
    }

    @Test
    void everyExampleOnceAndEachBatchWithinBudget() {
        List<Example> data = examples(500, 1);
        List<int[]> batches = TokenBatcher.batches(data, 200, new Random(7));
        boolean[] seen = new boolean[data.size()];
        for (int[] batch : batches) {
            int longest = 0;
            for (int i : batch) {
                assertTrue(!seen[i]);
                seen[i] = true;
                longest = Math.max(longest, Math.max(data.get(i).source().length, data.get(i).target().length) + 1);
            }
            assertTrue(longest * batch.length <= 200, "batch over budget");
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
    }

    @Test
    void sameSeedSameBatchesAndSimilarLengthsTogether() {
        List<Example> data = examples(300, 2);
        List<int[]> a = TokenBatcher.batches(data, 300, new Random(5));
        List<int[]> b = TokenBatcher.batches(data, 300, new Random(5));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
        int padding = 0;
        int tokens = 0;
        for (int[] batch : a) {
            int longest = Arrays.stream(batch).map(i -> data.get(i).source().length).max().orElse(0);
            for (int i : batch) {
                padding += longest - data.get(i).source().length;
                tokens += data.get(i).source().length;
            }
        }
        assertTrue(padding < tokens / 5, "length bucketing keeps source padding small: " + padding + " of " + tokens);
    }

    @Test
    void sameBatchesAsTheComparatorSortEvenWhenTieBreaksShareTheirTopBits() {
        // 300,000 pairs of two lengths: runs so long that tie-breaks agreeing in their top 32 bits occur.
        List<Example> data = new ArrayList<>();
        Random r = new Random(3);
        for (int i = 0; i < 300_000; i++) {
            data.add(new Example(new int[1 + r.nextInt(2)], new int[1]));
        }
        List<int[]> expected = InMemoryReference.batches(data, 64, new Random(9));
        List<int[]> batches = TokenBatcher.batches(data, 64, new Random(9));
        assertEquals(expected.size(), batches.size());
        for (int k = 0; k < batches.size(); k++) {
            assertArrayEquals(expected.get(k), batches.get(k), "batch " + k);
        }
    }

    @Test
    void batchPadsAndShiftsTheTarget() {
        Batch batch = Batch.of(List.of(new Example(new int[] {7, 8}, new int[] {9}),
                new Example(new int[] {5}, new int[] {6, 4})));
        assertEquals(3, batch.sourceLength());
        assertArrayEquals(new int[] {7, 8, 3, 5, 3, 0}, batch.source());
        assertArrayEquals(new int[] {3, 2}, batch.sourceLengths());
        assertArrayEquals(new int[] {2, 9, 0, 2, 6, 4}, batch.targetInput());
        assertArrayEquals(new int[] {9, 3, 0, 6, 4, 3}, batch.targetOutput());
        assertEquals(5, batch.targetTokens());
    }
}
