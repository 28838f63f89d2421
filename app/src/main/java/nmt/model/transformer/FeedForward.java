package nmt.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.transformer.PointwiseFeedForwardBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/** The position-wise feed-forward network, DJL's block: Linear(d→ff), ReLU or GELU, Linear(ff→d). */
public final class FeedForward extends AbstractBlock {
    private final PointwiseFeedForwardBlock block;
    private final int modelDim;

    public FeedForward(int modelDim, int ffDim, boolean gelu) {
        this.modelDim = modelDim;
        this.block = addChildBlock("ffn", new PointwiseFeedForwardBlock(List.of(ffDim), modelDim,
                gelu ? Activation::gelu : Activation::relu));
    }

    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return block.forward(ps, inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        block.initialize(manager, dataType, new Shape(1, 1, modelDim));
    }
}
