package nmt.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/**
 * The residual wrapper around every attention and feed-forward sublayer: pre-norm
 * x + Dropout(f(LN(x))), or the paper's post-norm LN(x + Dropout(f(x))).
 */
public final class Sublayer extends AbstractBlock {
    private final LayerNorm norm;
    private final Dropout dropout;
    private final boolean preNorm;
    private final int modelDim;

    public Sublayer(int modelDim, boolean preNorm, float dropoutRate) {
        this.modelDim = modelDim;
        this.preNorm = preNorm;
        this.norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
    }

    /** The sublayer function's input: LN(x) with pre-norm, x itself with post-norm. */
    public NDArray enter(ParameterStore ps, NDArray x, boolean training) {
        return preNorm ? norm.forward(ps, new NDList(x), training).singletonOrThrow() : x;
    }

    /** The residual connection around the sublayer function's output {@code y}. */
    public NDArray leave(ParameterStore ps, NDArray x, NDArray y, boolean training) {
        NDArray sum = x.add(dropout.forward(ps, new NDList(y), training).singletonOrThrow());
        return preNorm ? sum : norm.forward(ps, new NDList(sum), training).singletonOrThrow();
    }

    public NDArray apply(ParameterStore ps, NDArray x, UnaryOperator<NDArray> f, boolean training) {
        return leave(ps, x, f.apply(enter(ps, x, training)), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), x -> x, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        norm.initialize(manager, dataType, new Shape(1, 1, modelDim));
        dropout.initialize(manager, dataType, new Shape(1, 1, modelDim));
    }
}
