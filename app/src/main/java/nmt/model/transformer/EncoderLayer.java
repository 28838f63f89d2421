package nmt.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import nmt.model.attention.MultiHeadAttention;

/** Self-attention, then the feed-forward network, each inside a residual {@link Sublayer}. */
public final class EncoderLayer extends AbstractBlock {
    private final MultiHeadAttention selfAttention;
    private final FeedForward feedForward;
    private final Sublayer attentionSublayer;
    private final Sublayer feedForwardSublayer;
    private final int modelDim;

    public EncoderLayer(LayerShape shape) {
        this.modelDim = shape.modelDim();
        int heads = shape.heads();
        boolean preNorm = shape.preNorm();
        float dropout = shape.dropout();
        float attentionDropout = shape.attentionDropout();
        selfAttention = addChildBlock("self_attention",
                new MultiHeadAttention(modelDim, heads, attentionDropout, shape.relativeMaxDistance()));
        attentionSublayer = addChildBlock("self_attention_sublayer", new Sublayer(modelDim, preNorm, dropout));
        feedForward = addChildBlock("feed_forward", new FeedForward(modelDim, shape.ffDim(), shape.gelu()));
        feedForwardSublayer = addChildBlock("feed_forward_sublayer", new Sublayer(modelDim, preNorm, dropout));
    }

    /** @param bias padding (and restriction) mask broadcastable to [B, H, S, S] */
    public NDArray encode(ParameterStore ps, NDArray x, NDArray bias, boolean training) {
        NDArray y = attentionSublayer.apply(ps, x, h -> selfAttention.attend(ps, h,
                selfAttention.keyValues(ps, h, training), bias, training).context(), training);
        return feedForwardSublayer.apply(ps, y, h -> feedForward.apply(ps, h, training), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(encode(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = new Shape(1, 1, modelDim);
        selfAttention.initialize(manager, dataType, x, x, new Shape(1, 1, 1, 1));
        attentionSublayer.initialize(manager, dataType, x);
        feedForward.initialize(manager, dataType, x);
        feedForwardSublayer.initialize(manager, dataType, x);
    }
}
