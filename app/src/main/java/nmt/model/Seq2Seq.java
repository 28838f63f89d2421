package nmt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * The one interface every architecture offers, so that training and search never branch on the
 * model type. As a DJL block its forward takes (source, sourceLengths, targetInput) and returns
 * the logits.
 */
public interface Seq2Seq extends Block {
    /**
     * Teacher-forced scores of every target position.
     *
     * @param source        [B, S] token ids, padded
     * @param sourceLengths [B] valid lengths
     * @param targetInput   [B, T] {@code <bos> y} without the last token
     * @return logits [B, T, V]
     */
    NDArray forward(ParameterStore ps, NDArray source, NDArray sourceLengths, NDArray targetInput, boolean training);

    /**
     * Encodes a batch for incremental decoding.
     *
     * @param maxSteps the most steps the search will take, so that caches can be sized once (more still work)
     */
    DecoderState encode(ParameterStore ps, NDArray source, NDArray sourceLengths, int maxSteps);

    /**
     * One decoding step from the previous tokens [B]. The step may write into {@code state} (the
     * Transformer's key/value cache is filled in place): afterwards only the returned state is valid.
     */
    StepOutput step(ParameterStore ps, DecoderState state, NDArray previousTokens);

    /** Allocates the parameters; shapes follow from the configuration. */
    void initializeParameters(ai.djl.ndarray.NDManager manager);
}
