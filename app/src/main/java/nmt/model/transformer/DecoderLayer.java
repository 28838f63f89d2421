package nmt.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import nmt.model.attention.AttentionResult;
import nmt.model.attention.MultiHeadAttention;
import nmt.model.attention.MultiHeadAttention.KeyValues;

/** Causal self-attention, encoder–decoder attention and the feed-forward network, each residual. */
public final class DecoderLayer extends AbstractBlock {
    private final MultiHeadAttention selfAttention;
    private final MultiHeadAttention crossAttention;
    private final FeedForward feedForward;
    private final Sublayer selfSublayer;
    private final Sublayer crossSublayer;
    private final Sublayer feedForwardSublayer;
    private final int modelDim;

    /**
     * @param output       [B, T, D]
     * @param selfKeys     keys and values this call's self-attention used (the cache after the step)
     * @param crossWeights encoder–decoder attention weights of every head, [B, H, T, S]
     */
    public record Result(NDArray output, KeyValues selfKeys, NDArray crossWeights) {
    }

    public DecoderLayer(int modelDim, int heads, int ffDim, boolean gelu, boolean preNorm, float dropout,
                        float attentionDropout) {
        this.modelDim = modelDim;
        selfAttention = addChildBlock("self_attention", new MultiHeadAttention(modelDim, heads, attentionDropout));
        selfSublayer = addChildBlock("self_attention_sublayer", new Sublayer(modelDim, preNorm, dropout));
        crossAttention = addChildBlock("cross_attention", new MultiHeadAttention(modelDim, heads, attentionDropout));
        crossSublayer = addChildBlock("cross_attention_sublayer", new Sublayer(modelDim, preNorm, dropout));
        feedForward = addChildBlock("feed_forward", new FeedForward(modelDim, ffDim, gelu));
        feedForwardSublayer = addChildBlock("feed_forward_sublayer", new Sublayer(modelDim, preNorm, dropout));
    }

    /** Encoder–decoder keys and values, computed once per source sentence. */
    public KeyValues memory(ParameterStore ps, NDArray encoded, boolean training) {
        return crossAttention.keyValues(ps, encoded, training);
    }

    /**
     * @param x          [B, T, D] the new positions
     * @param cache      self-attention keys/values of earlier positions, or null
     * @param selfBias   causal mask for the new positions against cache + new keys
     * @param memory     from {@link #memory}
     * @param sourceBias source padding mask, [B, 1, 1, S]
     */
    public Result decode(ParameterStore ps, NDArray x, KeyValues cache, NDArray selfBias, KeyValues memory,
                         NDArray sourceBias, boolean training) {
        KeyValues[] used = new KeyValues[1];
        NDArray y = selfSublayer.apply(ps, x, h -> {
            KeyValues fresh = selfAttention.keyValues(ps, h, training);
            used[0] = cache == null ? fresh : cache.append(fresh);
            return selfAttention.attend(ps, h, used[0], selfBias, training).context();
        }, training);
        NDArray[] weights = new NDArray[1];
        NDArray z = crossSublayer.apply(ps, y, h -> {
            AttentionResult r = crossAttention.attend(ps, h, memory, sourceBias, training);
            weights[0] = r.weights();
            return r.context();
        }, training);
        NDArray out = feedForwardSublayer.apply(ps, z, h -> feedForward.apply(ps, h, training), training);
        return new Result(out, used[0], weights[0]);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("decoder layers run through the translation model");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = new Shape(1, 1, modelDim);
        Shape bias = new Shape(1, 1, 1, 1);
        selfAttention.initialize(manager, dataType, x, x, bias);
        selfSublayer.initialize(manager, dataType, x);
        crossAttention.initialize(manager, dataType, x, x, bias);
        crossSublayer.initialize(manager, dataType, x);
        feedForward.initialize(manager, dataType, x);
        feedForwardSublayer.initialize(manager, dataType, x);
    }
}
