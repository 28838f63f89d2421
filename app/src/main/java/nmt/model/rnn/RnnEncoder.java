package nmt.model.rnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A (bi)directional multi-layer RNN over embedded source tokens that respects valid lengths.
 * DJL's RNNs have no packed sequences, and a fused bidirectional call would run the backward
 * direction through the padding first; so each layer runs one forward RNN and one RNN over every
 * sequence reversed within its valid length, and padding never reaches a valid position.
 */
public final class RnnEncoder extends AbstractBlock {
    private final List<RecurrentBlock> forward = new ArrayList<>();
    private final List<RecurrentBlock> backward = new ArrayList<>();
    private final Dropout dropout;
    private final int inputDim;
    private final int hidden;
    private final boolean bidirectional;

    public RnnEncoder(RnnCell cell, int inputDim, int hidden, int layers, boolean bidirectional, float dropout) {
        this.inputDim = inputDim;
        this.hidden = hidden;
        this.bidirectional = bidirectional;
        for (int l = 0; l < layers; l++) {
            forward.add(addChildBlock("forward_" + l, cell.build(hidden, 1, 0f)));
            if (bidirectional) {
                backward.add(addChildBlock("backward_" + l, cell.build(hidden, 1, 0f)));
            }
        }
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(dropout).build());
    }

    /** Width of each output state: hidden size times directions. */
    public int outputDim() {
        return bidirectional ? 2 * hidden : hidden;
    }

    /**
     * @param embedded [B, S, E]
     * @param lengths  [B] valid lengths (at least 1)
     */
    public EncoderOutput encode(ParameterStore ps, NDArray embedded, NDArray lengths, boolean training) {
        long sourceLength = embedded.getShape().get(1);
        NDArray len = lengths.toType(DataType.INT64, false).reshape(-1, 1);
        NDArray positions = embedded.getManager().arange(0, sourceLength, 1, DataType.INT64).reshape(1, -1);
        NDArray lastValid = len.sub(1);
        NDArray reversed = bidirectional ? NDArrays.where(positions.lt(len), lastValid.sub(positions), positions) : null;

        NDArray input = embedded;
        List<NDArray> finals = new ArrayList<>(forward.size());
        for (int l = 0; l < forward.size(); l++) {
            if (l > 0) {
                input = dropout.forward(ps, new NDList(input), training).singletonOrThrow();
            }
            NDArray fwd = run(ps, forward.get(l), input, training);
            NDArray fwdFinal = gatherTime(fwd, lastValid).squeeze(1);
            if (bidirectional) {
                NDArray bwd = gatherTime(run(ps, backward.get(l), gatherTime(input, reversed), training), reversed);
                NDArray bwdFinal = bwd.get(new NDIndex(":, 0, :"));
                input = fwd.concat(bwd, 2);
                finals.add(fwdFinal.concat(bwdFinal, 1));
            } else {
                input = fwd;
                finals.add(fwdFinal);
            }
        }
        return new EncoderOutput(input, NDArrays.stack(new NDList(finals)));
    }

    private static NDArray run(ParameterStore ps, RecurrentBlock rnn, NDArray input, boolean training) {
        return rnn.forward(ps, new NDList(input), training).get(0);
    }

    /** x[b, index[b, t], :] for every b and t; index is [B, T]. */
    private static NDArray gatherTime(NDArray x, NDArray index) {
        Shape shape = x.getShape();
        NDArray expanded = index.expandDims(-1).broadcast(new Shape(shape.get(0), index.getShape().get(1), shape.get(2)));
        return x.gather(expanded, 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        EncoderOutput out = encode(ps, inputs.get(0), inputs.get(1), training);
        return new NDList(out.outputs(), out.finals());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), outputDim()), new Shape(forward.size(), in.get(0), outputDim())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int l = 0; l < forward.size(); l++) {
            Shape in = new Shape(1, 1, l == 0 ? inputDim : outputDim());
            forward.get(l).initialize(manager, dataType, in);
            if (bidirectional) {
                backward.get(l).initialize(manager, dataType, in);
            }
        }
        dropout.initialize(manager, dataType, new Shape(1, 1, outputDim()));
    }
}
