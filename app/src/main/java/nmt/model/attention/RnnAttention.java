package nmt.model.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The one attention mechanism: a pluggable {@link AttentionScore}, then masking of padding (and of
 * positions outside a local window), softmax, the local Gaussian, optional hard (arg-max) weights
 * at decoding time, and the weighted sum of values. DJL has no encoder–decoder attention block
 * with valid-length masking, hence this one.
 */
public final class RnnAttention extends AbstractBlock {
    private final AttentionScore score;
    private final Window window;
    private final int halfWidth;
    private final boolean hardAtInference;
    private final int queryDim;
    private final Linear centreHidden;
    private final Linear centreOut;

    /**
     * @param halfWidth       D, the local window's half width; the Gaussian's σ is D/2
     * @param hardAtInference one-hot weights on the arg-max position when not training
     */
    public RnnAttention(AttentionScore score, int queryDim, Window window, int halfWidth, boolean hardAtInference) {
        this.score = addChildBlock("score", score);
        this.queryDim = queryDim;
        this.window = window;
        this.halfWidth = halfWidth;
        this.hardAtInference = hardAtInference;
        if (window == Window.LOCAL_P) {
            centreHidden = addChildBlock("centre_hidden", Linear.builder().setUnits(queryDim).optBias(false).build());
            centreOut = addChildBlock("centre_out", Linear.builder().setUnits(1).optBias(false).build());
        } else {
            centreHidden = null;
            centreOut = null;
        }
    }

    /**
     * @param keys         [B, S, Dk]
     * @param values       [B, S, Dv]
     * @param validLengths [B], any numeric type
     */
    public AttendedSource prepare(ParameterStore ps, NDArray keys, NDArray values, NDArray validLengths,
                                  boolean training) {
        NDArray lengths = validLengths.toType(DataType.FLOAT32, false).reshape(-1, 1, 1);
        NDArray maskBias = Masks.padding(validLengths, keys.getShape().get(1));
        return new AttendedSource(score.prepareKeys(ps, keys, training), values, lengths, maskBias);
    }

    /**
     * @param query     [B, Tq, Dq]
     * @param firstStep decoder position of the first query (local-m centres the window on it)
     */
    public AttentionResult attend(ParameterStore ps, NDArray query, AttendedSource attended, int firstStep,
                                  boolean training) {
        NDArray scores = score.score(ps, query, attended.preparedKeys(), training);
        NDArray weights;
        if (window == Window.GLOBAL) {
            weights = Masks.softmax(scores, attended.maskBias());
        } else {
            NDArray positions = query.getManager().arange((float) attended.sourceLength()).reshape(1, 1, -1);
            NDArray distance = positions.sub(centre(ps, query, attended, firstStep, training));
            NDArray outside = distance.abs().gt(halfWidth).toType(DataType.FLOAT32, false).mul(Masks.MASKED);
            float sigma = halfWidth / 2f;
            NDArray gaussian = distance.square().div(-2f * sigma * sigma).exp();
            weights = Masks.softmax(scores, attended.maskBias().add(outside)).mul(gaussian);
        }
        if (hardAtInference && !training) {
            weights = weights.argMax(-1).oneHot((int) attended.sourceLength());
        }
        return new AttentionResult(weights.matMul(attended.values()), weights);
    }

    /** p_t as [B, Tq, 1]: t for local-m, predicted for local-p; within [0, length−1]. */
    private NDArray centre(ParameterStore ps, NDArray query, AttendedSource attended, int firstStep, boolean training) {
        NDArray lastPosition = attended.lengths().sub(1);
        if (window == Window.LOCAL_M) {
            long steps = query.getShape().get(1);
            NDArray t = query.getManager().arange((float) firstStep, (float) (firstStep + steps)).reshape(1, -1, 1);
            return t.minimum(lastPosition);
        }
        NDArray hidden = centreHidden.forward(ps, new NDList(query), training).singletonOrThrow().tanh();
        NDArray gate = Activation.sigmoid(centreOut.forward(ps, new NDList(hidden), training).singletonOrThrow());
        return gate.mul(lastPosition);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        AttendedSource attended = prepare(ps, inputs.get(1), inputs.get(2), inputs.get(3), training);
        AttentionResult result = attend(ps, inputs.get(0), attended, 0, training);
        return new NDList(result.context(), result.weights());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape q = inputShapes[0];
        Shape v = inputShapes[2];
        return new Shape[] {new Shape(q.get(0), q.get(1), v.get(2)), new Shape(q.get(0), q.get(1), v.get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        score.initialize(manager, dataType, inputShapes[0], inputShapes[1]);
        if (centreHidden != null) {
            centreHidden.initialize(manager, dataType, new Shape(1, 1, queryDim));
            centreOut.initialize(manager, dataType, new Shape(1, 1, queryDim));
        }
    }
}
