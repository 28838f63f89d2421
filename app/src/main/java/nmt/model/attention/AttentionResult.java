package nmt.model.attention;

import ai.djl.ndarray.NDArray;

/**
 * @param context weighted sum of the values, [B, Tq, Dv]
 * @param weights attention distribution over source positions, [B, Tq, S]
 */
public record AttentionResult(NDArray context, NDArray weights) {
}
