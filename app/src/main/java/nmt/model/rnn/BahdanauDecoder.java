package nmt.model.rnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import nmt.model.attention.AttentionResult;
import nmt.model.attention.RnnAttention;

/**
 * Bahdanau et al. (2015): the previous state s_{t−1} queries the source; the context c_t joins
 * the embedding of y_{t−1} as RNN input; the output reads tanh(W [s_t; c_t; E y_{t−1}]).
 */
public final class BahdanauDecoder extends RnnDecoder {
    private final Linear readout;

    public BahdanauDecoder(RnnCell cell, int vocabulary, int embeddingDim, int hidden, int layers, int contextDim,
                           RnnAttention attention, InitialState initialState, boolean tied, float dropout) {
        super(cell, vocabulary, embeddingDim, embeddingDim + contextDim, hidden, layers, contextDim,
                attention, initialState, embeddingDim, tied, dropout);
        this.readout = addChildBlock("readout", Linear.builder().setUnits(embeddingDim).build());
    }

    @Override
    protected Step step(ParameterStore ps, RnnState state, NDArray embedded, boolean training) {
        AttentionResult attended = attend(ps, state.top(), state, training);
        NDArray context = attended.context();
        NDList result = runRnn(ps, embedded.concat(context, 2), state.hidden(), training);
        NDArray s = result.get(0);
        NDArray features = readout.forward(ps, new NDList(s.concat(context, 2).concat(embedded, 2)), training)
                .singletonOrThrow().tanh();
        features = dropout.forward(ps, new NDList(features), training).singletonOrThrow();
        return new Step(features, new RnnState(stateOf(result), null, state.attended(), state.step() + 1),
                attended.weights());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        super.initializeChildBlocks(manager, dataType, inputShapes);
        readout.initialize(manager, dataType, new Shape(1, 1, hidden + contextDim + embeddingDim));
    }
}
