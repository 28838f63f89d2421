package nmt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** What a decoder carries from one step to the next (hidden states, caches, the encoded source). */
public interface DecoderState {
    /** Keeps (and may repeat) the batch rows named by {@code rows}: beam search follows its beams with it. */
    DecoderState select(NDArray rows);

    /**
     * Every array the state holds, so that a search can keep them in a manager of their own and
     * free everything else a step made. None of them may be a model parameter or an input array.
     */
    NDList arrays();
}
