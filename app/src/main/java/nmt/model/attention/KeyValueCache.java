package nmt.model.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import nmt.model.Rows;
import nmt.model.attention.MultiHeadAttention.KeyValues;

/**
 * Self-attention keys and values of the positions decoded so far, in buffers [B, H, capacity, d_k]
 * that each step writes into in place. The buffers are made at the first step with room for
 * {@code reserve} positions (the search's step limit), so a step copies only its own keys and
 * values; a cache stepped past its reserve doubles, which keeps the copies per step O(1) amortised.
 *
 * @param buffers keys and values [B, H, capacity, d_k], or null before the first step
 * @param length  positions written
 * @param reserve positions to make room for when the buffers are (re)made
 */
public record KeyValueCache(KeyValues buffers, int length, int reserve) {
    /** Rows gathered at a time when reordering in place: small enough for malloc to reuse, not map anew. */
    private static final long CHUNK_BYTES = 4L << 20;

    public static KeyValueCache empty(int reserve) {
        return new KeyValueCache(null, 0, Math.max(1, reserve));
    }

    /**
     * Writes new positions' keys and values [B, H, T, d_k] after the ones already there. The buffers
     * are written in place: the cache this is called on must not be used again.
     */
    public KeyValueCache append(KeyValues fresh) {
        long added = fresh.keys().getShape().get(2);
        int needed = Math.toIntExact(length + added);
        KeyValues target = buffers != null && needed <= capacity() ? buffers : grown(fresh, needed);
        NDIndex at = new NDIndex(":, :, {}:{}", length, needed);
        target.keys().set(at, fresh.keys());
        target.values().set(at, fresh.values());
        return new KeyValueCache(target, needed, reserve);
    }

    /** The written positions, as views of the buffers. */
    public KeyValues used() {
        return new KeyValues(buffers.keys().get(":, :, :{}", length), buffers.values().get(":, :, :{}", length));
    }

    /**
     * Keeps (and may repeat) the batch rows named by {@code rows}. Beam search reorders rows within
     * each sentence's block, which lets the buffers be rewritten in place a few rows at a time
     * (a fresh copy of buffers this size would cost a page fault per 4 KiB on every step); other
     * selections, and fewer rows, get new buffers. Either way the cache this is called on must not
     * be used again.
     */
    public KeyValueCache select(NDArray rows) {
        if (buffers == null) {
            return this;
        }
        long rowBytes = buffers.keys().size() / buffers.keys().getShape().get(0)
                * buffers.keys().getDataType().getNumOfBytes();
        return select(rows, (int) Math.max(1, CHUNK_BYTES / rowBytes));
    }

    /** The same, gathering at most {@code chunkRows} rows at a time when it works in place. */
    KeyValueCache select(NDArray rows, int chunkRows) {
        if (buffers == null) {
            return this;
        }
        int[] picked = rows.toType(DataType.INT32, false).toIntArray();
        List<int[]> chunks = inPlaceChunks(picked, buffers.keys().getShape().get(0), chunkRows);
        if (chunks == null) {
            return new KeyValueCache(buffers.select(rows), length, reserve);
        }
        for (int[] chunk : chunks) {
            NDArray part = rows.get("{}:{}", chunk[0], chunk[1]);
            NDIndex at = new NDIndex("{}:{}", chunk[0], chunk[1]);
            buffers.keys().set(at, Rows.select(buffers.keys(), part));
            buffers.values().set(at, Rows.select(buffers.values(), part));
        }
        return this;
    }

    /**
     * Splits the rows into chunks [a, b) of at most {@code maxRows} that can be gathered and written
     * back in order: every chunk reads only rows at or after its start, which no earlier chunk has
     * overwritten. Null when the rows are not a same-size selection that allows this.
     */
    static List<int[]> inPlaceChunks(int[] picked, long rowCount, int maxRows) {
        int n = picked.length;
        if (n != rowCount) {
            return null;
        }
        int[] laterMin = new int[n + 1];
        laterMin[n] = Integer.MAX_VALUE;
        for (int i = n - 1; i >= 0; i--) {
            laterMin[i] = Math.min(picked[i], laterMin[i + 1]);
        }
        List<int[]> chunks = new ArrayList<>();
        for (int start = 0; start < n; ) {
            if (laterMin[start] < start) {
                return null;
            }
            int end = Math.min(n, start + maxRows);
            while (end > start + 1 && laterMin[end] < end) {
                end--;
            }
            chunks.add(new int[] {start, end});
            start = end;
        }
        return chunks;
    }

    /** The arrays this cache holds (none before the first step). */
    public NDList arrays() {
        return buffers == null ? new NDList() : new NDList(buffers.keys(), buffers.values());
    }

    private long capacity() {
        return buffers.keys().getShape().get(2);
    }

    /** Fresh, uninitialised buffers with room for at least {@code needed} positions, holding what is written. */
    private KeyValues grown(KeyValues fresh, int needed) {
        Shape shape = fresh.keys().getShape();
        long capacity = Math.max(needed, buffers == null ? reserve : Math.max(reserve, 2L * needed));
        Shape bigger = new Shape(shape.get(0), shape.get(1), capacity, shape.get(3));
        KeyValues made = new KeyValues(fresh.keys().getManager().create(bigger, fresh.keys().getDataType()),
                fresh.values().getManager().create(bigger, fresh.values().getDataType()));
        if (length > 0) {
            NDIndex written = new NDIndex(":, :, :{}", length);
            made.keys().set(written, buffers.keys().get(written));
            made.values().set(written, buffers.values().get(written));
        }
        return made;
    }
}
