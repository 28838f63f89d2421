package nmt.model.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * Bahdanau's additive score vᵀ tanh(W_q q + W_k k). Luong's "concat" score vᵀ tanh(W [q; k]) is the
 * same function (W split into its query and key halves), so it is this class too.
 */
public final class AdditiveScore extends ScoreBlock {
    private final Linear queryProjection;
    private final Linear keyProjection;
    private final Linear v;
    private final int queryDim;
    private final int keyDim;
    private final int attentionDim;

    public AdditiveScore(int queryDim, int keyDim, int attentionDim) {
        this.queryDim = queryDim;
        this.keyDim = keyDim;
        this.attentionDim = attentionDim;
        queryProjection = addChildBlock("query", Linear.builder().setUnits(attentionDim).optBias(false).build());
        keyProjection = addChildBlock("key", Linear.builder().setUnits(attentionDim).optBias(true).build());
        v = addChildBlock("v", Linear.builder().setUnits(1).optBias(false).build());
    }

    @Override
    public NDArray prepareKeys(ParameterStore ps, NDArray keys, boolean training) {
        return keyProjection.forward(ps, new NDList(keys), training).singletonOrThrow();
    }

    @Override
    public NDArray score(ParameterStore ps, NDArray query, NDArray preparedKeys, boolean training) {
        NDArray q = queryProjection.forward(ps, new NDList(query), training).singletonOrThrow();
        NDArray hidden = q.expandDims(2).add(preparedKeys.expandDims(1)).tanh();
        return v.forward(ps, new NDList(hidden), training).singletonOrThrow().squeeze(-1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        queryProjection.initialize(manager, dataType, new Shape(1, 1, queryDim));
        keyProjection.initialize(manager, dataType, new Shape(1, 1, keyDim));
        v.initialize(manager, dataType, new Shape(1, 1, 1, attentionDim));
    }
}
