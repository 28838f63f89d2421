package nmt.model.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;
import nmt.model.Rows;

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017): softmax(QKᵀ/√d_k)V per head,
 * heads concatenated and projected. One block serves encoder self-attention, causal decoder
 * self-attention (with a key/value cache) and encoder–decoder attention; DJL's
 * ScaledDotProductAttentionBlock is self-attention only and keeps no cache, hence this one.
 */
public final class MultiHeadAttention extends AbstractBlock {
    private final Linear queryProjection;
    private final Linear keyProjection;
    private final Linear valueProjection;
    private final Linear outputProjection;
    private final MultiplicativeScore score;
    private final Dropout dropout;
    private final RelativePositions relative;
    private final int heads;
    private final int modelDim;

    /** Keys and values split into heads, each [B, H, S, d_k]. */
    public record KeyValues(NDArray keys, NDArray values) {
        public KeyValues select(NDArray rows) {
            return new KeyValues(Rows.select(keys, rows), Rows.select(values, rows));
        }
    }

    public MultiHeadAttention(int modelDim, int heads, float attentionDropout) {
        this(modelDim, heads, attentionDropout, 0);
    }

    /** @param relativeMaxDistance k of {@link RelativePositions} for self-attention; 0 for none */
    public MultiHeadAttention(int modelDim, int heads, float attentionDropout, int relativeMaxDistance) {
        if (modelDim % heads != 0) {
            throw new IllegalArgumentException("d_model " + modelDim + " is not divisible by " + heads + " heads");
        }
        this.modelDim = modelDim;
        this.heads = heads;
        queryProjection = addChildBlock("query", Linear.builder().setUnits(modelDim).build());
        keyProjection = addChildBlock("key", Linear.builder().setUnits(modelDim).build());
        valueProjection = addChildBlock("value", Linear.builder().setUnits(modelDim).build());
        outputProjection = addChildBlock("output", Linear.builder().setUnits(modelDim).build());
        score = addChildBlock("score", new MultiplicativeScore(modelDim / heads, modelDim / heads, false, true));
        dropout = addChildBlock("dropout", Dropout.builder().optRate(attentionDropout).build());
        relative = relativeMaxDistance > 0
                ? addChildBlock("relative_positions", new RelativePositions(relativeMaxDistance, modelDim / heads))
                : null;
    }

    /** Projects an input [B, S, D] into per-head keys and values. */
    public KeyValues keyValues(ParameterStore ps, NDArray input, boolean training) {
        NDArray k = split(keyProjection.forward(ps, new NDList(input), training).singletonOrThrow());
        NDArray v = split(valueProjection.forward(ps, new NDList(input), training).singletonOrThrow());
        return new KeyValues(k, v);
    }

    /**
     * @param query [B, Tq, D]
     * @param bias  additive mask broadcastable to [B, H, Tq, S], or null where every key may be seen
     * @return the projected context [B, Tq, D] and the weights of every head [B, H, Tq, S]
     */
    public AttentionResult attend(ParameterStore ps, NDArray query, KeyValues keyValues, NDArray bias,
                                  boolean training) {
        return attend(ps, query, keyValues, bias, 0, training);
    }

    /**
     * The same, for self-attention with relative positions: the keys sit at positions 0..S−1 and
     * the queries from {@code first} on.
     */
    public AttentionResult attend(ParameterStore ps, NDArray query, KeyValues keyValues, NDArray bias, int first,
                                  boolean training) {
        NDArray q = split(queryProjection.forward(ps, new NDList(query), training).singletonOrThrow());
        UnaryOperator<NDArray> drop = w -> dropout.forward(ps, new NDList(w), training).singletonOrThrow();
        AttentionResult heads;
        if (relative == null) {
            // For scaled dot-product scores, preparing the keys is a transposed view: no copy.
            NDArray prepared = score.prepareKeys(ps, keyValues.keys(), training);
            NDArray weights = Masks.softmax(score.score(ps, q, prepared, training), bias);
            heads = new AttentionResult(drop.apply(weights).matMul(keyValues.values()), weights);
        } else {
            heads = relative.attend(ps, q, keyValues.keys(), keyValues.values(), bias, first, training, drop);
        }
        NDArray context = merge(heads.context());
        return new AttentionResult(outputProjection.forward(ps, new NDList(context), training).singletonOrThrow(),
                heads.weights());
    }

    /** [B, T, D] → [B, H, T, d_k]. */
    private NDArray split(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, modelDim / heads).transpose(0, 2, 1, 3);
    }

    /** [B, H, T, d_k] → [B, T, D]. */
    private NDArray merge(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), modelDim);
    }

    /** Inputs: query [B, Tq, D], input [B, S, D], bias; outputs: context, weights. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        AttentionResult result = attend(ps, inputs.get(0), keyValues(ps, inputs.get(1), training), inputs.get(2),
                training);
        return new NDList(result.context(), result.weights());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape q = inputShapes[0];
        Shape m = inputShapes[1];
        return new Shape[] {q, new Shape(q.get(0), heads, q.get(1), m.get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = new Shape(1, 1, modelDim);
        queryProjection.initialize(manager, dataType, in);
        keyProjection.initialize(manager, dataType, in);
        valueProjection.initialize(manager, dataType, in);
        outputProjection.initialize(manager, dataType, in);
        score.initialize(manager, dataType, in, in);
        dropout.initialize(manager, dataType, new Shape(1, heads, 1, 1));
        if (relative != null) {
            relative.initialize(manager, dataType, in);
        }
    }
}
