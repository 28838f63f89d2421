package nmt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Several trained models with one vocabulary decoding as one: each step runs every member on its
 * own state and scores the next token with the mean of their log-probabilities (the attention
 * reported is the mean of theirs). Any architectures may be mixed. The members keep their own
 * parameters; the ensemble has none.
 */
public final class Ensemble extends AbstractSeq2Seq {
    private final List<Seq2Seq> members;

    public Ensemble(List<Seq2Seq> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one model");
        }
        this.members = List.copyOf(members);
    }

    /** The members' states, in member order. */
    private record MemberStates(List<DecoderState> states) implements DecoderState {
        @Override
        public DecoderState select(NDArray rows) {
            List<DecoderState> picked = new ArrayList<>(states.size());
            for (DecoderState s : states) {
                picked.add(s.select(rows));
            }
            return new MemberStates(picked);
        }

        @Override
        public NDList arrays() {
            NDList all = new NDList();
            for (DecoderState s : states) {
                all.addAll(s.arrays());
            }
            return all;
        }
    }

    /** The mean of the members' log-probabilities, as logits (their softmax is the members' normalised geometric mean). */
    @Override
    public NDArray forward(ParameterStore ps, NDArray source, NDArray sourceLengths, NDArray targetInput,
                           boolean training) {
        NDList logProbs = new NDList();
        for (Seq2Seq m : members) {
            logProbs.add(m.forward(ps, source, sourceLengths, targetInput, training).logSoftmax(-1));
        }
        return mean(logProbs);
    }

    @Override
    public DecoderState encode(ParameterStore ps, NDArray source, NDArray sourceLengths, int maxSteps) {
        List<DecoderState> states = new ArrayList<>(members.size());
        for (Seq2Seq m : members) {
            states.add(m.encode(ps, source, sourceLengths, maxSteps));
        }
        return new MemberStates(states);
    }

    @Override
    public StepOutput step(ParameterStore ps, DecoderState state, NDArray previousTokens) {
        List<DecoderState> before = ((MemberStates) state).states();
        List<DecoderState> after = new ArrayList<>(members.size());
        NDList logProbs = new NDList();
        NDList attention = new NDList();
        for (int i = 0; i < members.size(); i++) {
            StepOutput out = members.get(i).step(ps, before.get(i), previousTokens);
            after.add(out.state());
            logProbs.add(out.logProbs());
            attention.add(out.attention());
        }
        return new StepOutput(mean(logProbs), new MemberStates(after), mean(attention));
    }

    /** Summed in order, then divided: all the Java engine's arrays offer, and PyTorch's stacked mean does the same. */
    private static NDArray mean(NDList arrays) {
        if (arrays.size() == 1) {
            return arrays.get(0);
        }
        NDArray sum = arrays.get(0).add(arrays.get(1));
        for (int i = 2; i < arrays.size(); i++) {
            sum.addi(arrays.get(i));
        }
        return sum.divi(arrays.size());
    }

    /** The members come loaded; there is nothing of the ensemble's own to allocate. */
    @Override
    public void initializeParameters(NDManager manager) {
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return members.get(0).getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    }
}
