package nmt.model.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * Luong's multiplicative scores: "dot" qᵀk, or "general" qᵀ W k (W applied to the keys once per
 * sentence); optionally scaled by 1/√d, which makes "dot" the Transformer's scaled dot-product.
 * Any leading batch axes work, e.g. [B, heads, T, d].
 */
public final class MultiplicativeScore extends ScoreBlock {
    private final Linear keyProjection;
    private final int keyDim;
    private final float scale;

    /** @param general whether W is learned ("general") or the identity ("dot", which needs queryDim == keyDim) */
    public MultiplicativeScore(int queryDim, int keyDim, boolean general, boolean scaled) {
        if (!general && queryDim != keyDim) {
            throw new IllegalArgumentException("dot attention needs equal query and key sizes, got " + queryDim
                    + " and " + keyDim);
        }
        this.keyDim = keyDim;
        this.scale = scaled ? (float) (1.0 / Math.sqrt(queryDim)) : 1f;
        keyProjection = general
                ? addChildBlock("key", Linear.builder().setUnits(queryDim).optBias(false).build())
                : null;
    }

    @Override
    public NDArray prepareKeys(ParameterStore ps, NDArray keys, boolean training) {
        NDArray k = keyProjection == null ? keys : keyProjection.forward(ps, new NDList(keys), training).singletonOrThrow();
        int rank = k.getShape().dimension();
        return k.swapAxes(rank - 1, rank - 2);
    }

    @Override
    public NDArray score(ParameterStore ps, NDArray query, NDArray preparedKeys, boolean training) {
        NDArray scores = query.matMul(preparedKeys);
        return scale == 1f ? scores : scores.mul(scale);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (keyProjection != null) {
            keyProjection.initialize(manager, dataType, new Shape(1, 1, keyDim));
        }
    }
}
