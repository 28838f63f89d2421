package nmt.model.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * How well each query matches each key; everything else (masking, softmax, windows, context) is
 * shared by all score functions in {@link RnnAttention}.
 */
public interface AttentionScore extends Block {
    /** Work that depends on the keys only, done once per source sentence rather than per decoder step. */
    NDArray prepareKeys(ParameterStore ps, NDArray keys, boolean training);

    /**
     * @param query         [batch, queries, queryDim]
     * @param preparedKeys  what {@link #prepareKeys} returned, [batch, sourceLen, *]
     * @return raw scores [batch, queries, sourceLen]
     */
    NDArray score(ParameterStore ps, NDArray query, NDArray preparedKeys, boolean training);
}
