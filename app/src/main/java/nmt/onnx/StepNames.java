package nmt.onnx;

/**
 * How an exported model's two graphs talk to the search. The encoder takes {@value #SOURCE} and
 * {@value #SOURCE_LENGTHS} and returns "memory.*" (what every step reads unchanged: the encoded
 * source, its mask) and "state.*" (the decoder's starting state). The step graph takes
 * {@value #TOKENS}, {@value #STEP}, every memory.* and state.* value, and returns
 * {@value #LOG_PROBS}, {@value #ATTENTION} and "next_state.*", the state.* of the next step.
 * A step graph may also read "cache.*" inputs, [B', ·, {@value #CAPACITY}, ·] buffers that the
 * runtime makes (zeros) and keeps, with {@value #PARENTS} [B], the cache row each row continues:
 * the graph gathers those rows ("next_cache.*", [B, ·, capacity, ·]), reads their positions
 * before {@value #STEP}, and returns the newest one as "new_cache.*" [B, ·, 1, ·], which the
 * runtime writes into next_cache.* at {@value #STEP} and keeps as the next cache.* (so beam
 * search's reordering of the Transformer's keys and values is one copy inside the graph). State
 * values have the batch rows as their first axis, which is what beam search reorders; memory has
 * them too, or one row per sentence where its first dimension is {@value #SENTENCES}. Any
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
    static final String CACHE = "cache.";
    static final String NEW_CACHE = "new_cache.";
    static final String NEXT_CACHE = "next_cache.";
    static final String PARENTS = "parents";
    /** Dimension names the runtime fills in: the caches' positions, and the rows they hold. */
    static final String CAPACITY = "capacity";
    static final String CACHE_ROWS = "cache_rows";
    /** A memory input's first dimension when the graph reads one row per sentence, its rows in blocks of equal size. */
    static final String SENTENCES = "sentences";

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

    static String cache(String name) {
        return CACHE + name;
    }

    static String newCache(String name) {
        return NEW_CACHE + name;
    }

    static String nextCache(String name) {
        return NEXT_CACHE + name;
    }
}
