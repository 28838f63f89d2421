package nmt.onnx;

/**
 * How an exported model's two graphs talk to the search. The encoder takes {@value #SOURCE} and
 * {@value #SOURCE_LENGTHS} and returns "memory.*" (what every step reads unchanged: the encoded
 * source, its mask) and "state.*" (the decoder's starting state). The step graph takes
 * {@value #TOKENS}, {@value #STEP}, every memory.* and state.* value, and returns
 * {@value #LOG_PROBS}, {@value #ATTENTION} and "next_state.*", the state.* of the next step. Every
 * memory and state value has the batch as its first axis, which is what beam search reorders. Any
 * architecture fits this, so one runtime decodes them all.
 */
final class StepNames {
    static final String SOURCE = "source";
    static final String SOURCE_LENGTHS = "source_lengths";
    static final String TOKENS = "tokens";
    static final String STEP = "step";
    static final String LOG_PROBS = "log_probs";
    static final String ATTENTION = "attention";
    static final String MEMORY = "memory.";
    static final String STATE = "state.";
    static final String NEXT_STATE = "next_state.";

    private StepNames() {
    }

    static String memory(String name) {
        return MEMORY + name;
    }

    static String state(String name) {
        return STATE + name;
    }

    static String nextState(String name) {
        return NEXT_STATE + name;
    }
}
