package nmt.model.attention;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Base of the score functions: inputs (query [B,Tq,Dq], keys [B,S,Dk]) give scores [B,Tq,S], so
 * each can also run as a plain DJL block.
 */
abstract class ScoreBlock extends AbstractBlock implements AttentionScore {
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(score(ps, inputs.get(0), prepareKeys(ps, inputs.get(1), training), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape q = inputShapes[0];
        Shape k = inputShapes[1];
        return new Shape[] {new Shape(q.get(0), q.get(1), k.get(1))};
    }
}
