package nmt.model.rnn;

import ai.djl.ndarray.NDArray;

/**
 * @param outputs top-layer states at every source position, both directions concatenated, [B, S, C]
 * @param finals  each layer's state after the last valid token (forward) and the first (backward),
 *                [layers, B, C]
 */
public record EncoderOutput(NDArray outputs, NDArray finals) {
}
