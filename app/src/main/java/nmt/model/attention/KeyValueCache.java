package nmt.model.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
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
     * Keeps (and may repeat) the batch rows named by {@code rows}, in place where beam search's
     * reordering allows (see {@link Rows#reorder}). Either way the cache this is called on must not
     * be used again.
     */
    public KeyValueCache select(NDArray rows) {
        if (buffers == null) {
            return this;
        }
        return new KeyValueCache(new KeyValues(Rows.reorder(buffers.keys(), rows), Rows.reorder(buffers.values(), rows)),
                length, reserve);
    }

    /** The same, gathering at most {@code chunkRows} rows at a time when it works in place. */
    KeyValueCache select(NDArray rows, int chunkRows) {
        if (buffers == null) {
            return this;
        }
        return new KeyValueCache(new KeyValues(Rows.reorder(buffers.keys(), rows, chunkRows),
                Rows.reorder(buffers.values(), rows, chunkRows)), length, reserve);
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
