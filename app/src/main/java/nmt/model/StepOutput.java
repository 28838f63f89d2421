package nmt.model;

import ai.djl.ndarray.NDArray;

/**
 * @param logProbs  log-probabilities of the next token, [B, V]
 * @param state     the state after this step
 * @param attention attention weights over the source, [B, S] (for plots and hard alignment)
 */
public record StepOutput(NDArray logProbs, DecoderState state, NDArray attention) {
}
