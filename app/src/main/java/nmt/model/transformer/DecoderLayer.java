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
import nmt.model.attention.KeyValueCache;
import nmt.model.attention.MultiHeadAttention.KeyValues;
import nmt.model.attention.MultiHeadAttention;

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
     * @param cache        the self-attention cache with this call's positions written, or null without one
     * @param crossWeights encoder–decoder attention weights of every head, [B, H, T, S]
     */
    public record Result(NDArray output, KeyValueCache cache, NDArray crossWeights) {
    }

    public DecoderLayer(LayerShape shape) {
        this.modelDim = shape.modelDim();
        int heads = shape.heads();
        boolean preNorm = shape.preNorm();
        float dropout = shape.dropout();
        float attentionDropout = shape.attentionDropout();
        selfAttention = addChildBlock("self_attention",
                new MultiHeadAttention(modelDim, heads, attentionDropout, shape.relativeMaxDistance()));
        selfSublayer = addChildBlock("self_attention_sublayer", new Sublayer(modelDim, preNorm, dropout));
        crossAttention = addChildBlock("cross_attention", new MultiHeadAttention(modelDim, heads, attentionDropout));
        crossSublayer = addChildBlock("cross_attention_sublayer", new Sublayer(modelDim, preNorm, dropout));
        feedForward = addChildBlock("feed_forward", new FeedForward(modelDim, shape.ffDim(), shape.gelu()));
        feedForwardSublayer = addChildBlock("feed_forward_sublayer", new Sublayer(modelDim, preNorm, dropout));
    }

    /** Encoder–decoder keys and values, computed once per source sentence. */
    public KeyValues sourceKeyValues(ParameterStore ps, NDArray encoded, boolean training) {
        return crossAttention.keyValues(ps, encoded, training);
    }

    /**
     * @param x              [B, T, D] the new positions
     * @param cache          self-attention keys/values of earlier positions (written into in place), or
     *                       null when {@code x} holds every position
     * @param selfBias       causal mask for the new positions against cache + new keys; null for one new position
     * @param crossKeyValues the encoder output's keys and values, from {@link #sourceKeyValues}
     * @param sourceBias     source padding mask, [B, 1, 1, S]
     */
    public Result decode(ParameterStore ps, NDArray x, KeyValueCache cache, NDArray selfBias,
                         KeyValues crossKeyValues, NDArray sourceBias, boolean training) {
        // 1. Causal self-attention over the earlier positions and the new ones.
        NDArray h = selfSublayer.enter(ps, x, training);
        KeyValues fresh = selfAttention.keyValues(ps, h, training);
        int first = cache == null ? 0 : cache.length();
        KeyValueCache written = cache == null ? null : cache.append(fresh);
        KeyValues seen = written == null ? fresh : written.used();
        NDArray y = selfSublayer.leave(ps, x, selfAttention.attend(ps, h, seen, selfBias, first, training).context(),
                training);
        // 2. Encoder–decoder attention.
        h = crossSublayer.enter(ps, y, training);
        AttentionResult cross = crossAttention.attend(ps, h, crossKeyValues, sourceBias, training);
        NDArray z = crossSublayer.leave(ps, y, cross.context(), training);
        // 3. Position-wise feed-forward network.
        h = feedForwardSublayer.enter(ps, z, training);
        NDArray out = feedForwardSublayer.leave(ps, z, feedForward.apply(ps, h, training), training);
        return new Result(out, written, cross.weights());
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
