package nmt.model;

import ai.djl.ndarray.NDArray;

/** What a decoder carries from one step to the next (hidden states, caches, the encoded source). */
public interface DecoderState {
    /** Keeps (and may repeat) the batch rows named by {@code rows}: beam search follows its beams with it. */
    DecoderState select(NDArray rows);
}
