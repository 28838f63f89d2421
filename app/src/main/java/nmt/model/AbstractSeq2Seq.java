package nmt.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The DJL block side shared by every architecture: (source, lengths, target input) in, logits out. */
public abstract class AbstractSeq2Seq extends AbstractBlock implements Seq2Seq {
    @Override
    public void initializeParameters(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, 1), new Shape(1), new Shape(1, 1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), inputs.get(2), training));
    }
}
