package nmt.model.attention;

import ai.djl.ndarray.NDArray;

/**
 * @param context weighted sum of the values, [B, Tq, Dv] (per head, [B, H, Tq, d_k], inside multi-head attention)
 * @param weights attention distribution over source positions, [B, Tq, S] ([B, H, Tq, S], every head's, from
 *                multi-head attention)
 */
public record AttentionResult(NDArray context, NDArray weights) {
}
