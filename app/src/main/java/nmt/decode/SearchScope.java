package nmt.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import nmt.model.DecoderState;
import nmt.model.Seq2Seq;

/**
 * The decoder state of a running search, in an NDManager of its own. Each step works in a fresh
 * sub-manager of the batch's; when it ends, the state it produced moves to another fresh manager
 * and the step's manager and the replaced state's are closed, with every array the step made. So
 * a search holds one state and one step's arrays at a time, however long its outputs grow.
 */
final class SearchScope implements AutoCloseable {
    private final NDManager batch;
    private NDManager stateManager;
    private NDManager stepManager;
    private DecoderState state;

    private SearchScope(NDManager batch, NDManager stateManager, DecoderState state) {
        this.batch = batch;
        this.stateManager = stateManager;
        this.state = state;
    }

    /** Encodes the batch; the encoder's intermediate arrays are freed before the first step. */
    static SearchScope encode(Seq2Seq network, ParameterStore ps, NDArray source, NDArray sourceLengths,
                              int maxSteps) {
        NDManager batch = source.getManager();
        try (NDManager scope = batch.newSubManager()) {
            // Copies, so that a state holding its inputs never takes the caller's arrays with it.
            NDArray ids = source.duplicate();
            ids.attach(scope);
            NDArray lengths = sourceLengths.duplicate();
            lengths.attach(scope);
            DecoderState encoded = network.encode(ps, ids, lengths, maxSteps);
            NDManager stateManager = batch.newSubManager();
            encoded.arrays().attach(stateManager);
            return new SearchScope(batch, stateManager, encoded);
        }
    }

    DecoderState state() {
        return state;
    }

    /** Opens the manager for the arrays of the step about to run. */
    NDManager beginStep() {
        stepManager = batch.newSubManager();
        return stepManager;
    }

    /** Keeps {@code next} as the state and frees the previous one and everything the step made. */
    void endStep(DecoderState next) {
        NDManager nextManager = batch.newSubManager();
        next.arrays().attach(nextManager);
        stateManager.close();
        stepManager.close();
        stepManager = null;
        stateManager = nextManager;
        state = next;
    }

    @Override
    public void close() {
        if (stepManager != null) {
            stepManager.close();
        }
        stateManager.close();
    }
}
