package nmt.model.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import nmt.model.Rows;
import nmt.model.attention.MultiHeadAttention.KeyValues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyValueCacheTest {
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Row r, head h, position t, feature d holds 1000r + 100h + 10t + d. */
    private KeyValues step(int rows, int position) {
        float[] k = new float[rows * 2 * 3];
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < 2; h++) {
                for (int d = 0; d < 3; d++) {
                    k[(r * 2 + h) * 3 + d] = 1000 * r + 100 * h + 10 * position + d;
                }
            }
        }
        NDArray keys = manager.create(k, new Shape(rows, 2, 1, 3));
        return new KeyValues(keys, keys.neg());
    }

    @Test
    void appendWritesInPlaceAndGrowsPastItsReserve() {
        KeyValueCache cache = KeyValueCache.empty(2);
        for (int t = 0; t < 5; t++) {
            cache = cache.append(step(3, t));
        }
        assertEquals(5, cache.length());
        assertEquals(6, cache.buffers().keys().getShape().get(2), "room for 2, then for twice the 3 needed");
        float[] used = cache.used().keys().toFloatArray();
        assertEquals(3 * 2 * 5 * 3, used.length);
        assertEquals(2000 + 100 + 40 + 2, used[((2 * 2 + 1) * 5 + 4) * 3 + 2]);
        assertEquals(-(1000 + 30 + 1), cache.used().values().toFloatArray()[((1 * 2) * 5 + 3) * 3 + 1]);
    }

    @Test
    void chunksReadOnlyRowsNotYetOverwritten() {
        // Beam search with k = 2: each block of two rows reads from its own block.
        assertEquals(List.of("0-2", "2-4", "4-6"), names(Rows.inPlaceChunks(new int[] {1, 1, 3, 2, 4, 4}, 6, 3)));
        assertEquals(List.of("0-6"), names(Rows.inPlaceChunks(new int[] {1, 1, 3, 2, 4, 4}, 6, 8)));
        // Row 3 reads row 0, which the first chunk has overwritten by then.
        assertNull(Rows.inPlaceChunks(new int[] {0, 1, 2, 0}, 4, 2));
        assertNull(Rows.inPlaceChunks(new int[] {2, 3}, 4, 2), "fewer rows");
    }

    private static List<String> names(List<int[]> chunks) {
        return chunks.stream().map(c -> c[0] + "-" + c[1]).toList();
    }

    @Test
    void selectInPlaceEqualsAGather() {
        for (int[] rows : new int[][] {{1, 1, 3, 2, 5, 4}, {5, 0, 1, 1, 2, 3}, {4, 4}, {0, 1, 2, 0, 4, 5}}) {
            KeyValueCache cache = KeyValueCache.empty(4);
            for (int t = 0; t < 3; t++) {
                cache = cache.append(step(6, t));
            }
            KeyValues before = cache.used();
            float[] expectedKeys = before.keys().get(manager.create(rows)).toFloatArray();
            float[] expectedValues = before.values().get(manager.create(rows)).toFloatArray();
            // Two rows at a time: the last selection reads row 0 after the first chunk rewrote it.
            KeyValueCache selected = cache.select(manager.create(rows), 2);
            if (rows[0] == 1) {
                assertSame(cache.buffers().keys(), selected.buffers().keys(), "a block-wise reordering stays in place");
                assertSame(cache.buffers().values(), selected.buffers().values());
            } else {
                assertNotSame(cache.buffers().keys(), selected.buffers().keys());
            }
            assertArrayEquals(expectedKeys, selected.used().keys().toFloatArray());
            assertArrayEquals(expectedValues, selected.used().values().toFloatArray());
        }
    }
}
