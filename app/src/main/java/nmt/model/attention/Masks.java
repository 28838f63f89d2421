package nmt.model.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Additive masks for attention scores: 0 where a query may look, a large negative number where
 * it may not, so that softmax gives those positions weight exactly 0.
 */
public final class Masks {
    /** Added to masked scores; exp of it underflows to 0 in float32. */
    public static final float MASKED = -1e9f;

    private Masks() {
    }

    /** Padding: [B, 1, S], masked from each row's valid length on. */
    public static NDArray padding(NDArray validLengths, long sourceLength) {
        NDArray lengths = validLengths.toType(DataType.FLOAT32, false).reshape(-1, 1, 1);
        NDArray positions = validLengths.getManager().arange((float) sourceLength).reshape(1, 1, -1);
        return positions.gte(lengths).toType(DataType.FLOAT32, false).mul(MASKED);
    }

    /**
     * Causal: [queries, keys], query i (the (keys − queries + i)-th position) sees no later key.
     * With a cache, {@code queries} are the last positions of {@code keys}.
     */
    public static NDArray causal(NDManager manager, long queries, long keys) {
        NDArray q = manager.arange((float) (keys - queries), (float) keys).reshape(-1, 1);
        NDArray k = manager.arange((float) keys).reshape(1, -1);
        return k.gt(q).toType(DataType.FLOAT32, false).mul(MASKED);
    }

    /** Restricted self-attention: [length, length], each position sees only neighbours within ±radius. */
    public static NDArray band(NDManager manager, long length, int radius) {
        NDArray positions = manager.arange((float) length);
        NDArray distance = positions.reshape(-1, 1).sub(positions.reshape(1, -1)).abs();
        return distance.gt(radius).toType(DataType.FLOAT32, false).mul(MASKED);
    }

    /** The shared core of every attention: softmax over the last axis of the masked scores (bias null: none). */
    public static NDArray softmax(NDArray scores, NDArray bias) {
        return (bias == null ? scores : scores.add(bias)).softmax(-1);
    }
}
