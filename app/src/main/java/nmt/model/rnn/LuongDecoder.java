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
 * Luong et al. (2015): the RNN runs first and its current state h_t queries the source; the
 * attentional state h̃_t = tanh(W_c [c_t; h_t]) feeds the output layer and, with input feeding,
 * the next step's input. Without input feeding, teacher forcing runs the RNN over the whole
 * target in one fused call and attends for all positions at once.
 */
public final class LuongDecoder extends RnnDecoder {
    private final Linear combine;
    private final boolean inputFeeding;

    public LuongDecoder(RnnCell cell, int vocabulary, int embeddingDim, int hidden, int layers, int contextDim,
                        RnnAttention attention, InitialState initialState, boolean inputFeeding,
                        boolean tied, float dropout) {
        super(cell, vocabulary, embeddingDim, inputFeeding ? embeddingDim + hidden : embeddingDim, hidden, layers,
                contextDim, attention, initialState, hidden, tied, dropout);
        this.inputFeeding = inputFeeding;
        this.combine = addChildBlock("combine", Linear.builder().setUnits(hidden).optBias(false).build());
    }

    @Override
    protected NDArray firstAttentional(NDArray encoderOutputs) {
        return inputFeeding ? encoderOutputs.getManager().zeros(new Shape(encoderOutputs.getShape().get(0), 1, hidden))
                : null;
    }

    @Override
    public NDArray logits(ParameterStore ps, RnnState start, NDArray targetInput, boolean training) {
        if (inputFeeding) {
            return super.logits(ps, start, targetInput, training);
        }
        NDArray embedded = embed(ps, targetInput, training);
        NDArray states = runRnn(ps, embedded, start.hidden(), training).get(0);
        AttentionResult attended = attention.attend(ps, states, start.attended(), 0, training);
        return output.project(ps, attentional(ps, attended.context(), states, training), training);
    }

    @Override
    protected Step step(ParameterStore ps, RnnState state, NDArray embedded, boolean training) {
        NDArray input = inputFeeding ? embedded.concat(state.attentional(), 2) : embedded;
        NDList result = runRnn(ps, input, state.hidden(), training);
        NDArray h = result.get(0);
        AttentionResult attended = attend(ps, h, state, training);
        NDArray features = attentional(ps, attended.context(), h, training);
        return new Step(features, new RnnState(stateOf(result), inputFeeding ? features : null, state.attended(),
                state.step() + 1), attended.weights());
    }

    /** h̃ = tanh(W_c [c; h]), with dropout. */
    private NDArray attentional(ParameterStore ps, NDArray context, NDArray h, boolean training) {
        NDArray combined = combine.forward(ps, new NDList(context.concat(h, 2)), training).singletonOrThrow().tanh();
        return dropout.forward(ps, new NDList(combined), training).singletonOrThrow();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        super.initializeChildBlocks(manager, dataType, inputShapes);
        combine.initialize(manager, dataType, new Shape(1, 1, contextDim + hidden));
    }
}
