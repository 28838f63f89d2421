package nmt.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.List;
import nmt.model.Seq2Seq;

/** The search the options ask for: greedy for beam size 1, beam search otherwise. */
public final class Search {
    private Search() {
    }

    /**
     * @param source        [B, S] ids, each row ending with {@code <eos>}
     * @param sourceLengths [B], counting that {@code <eos>}
     * @return per sentence, the best {@code options.nbest()} hypotheses (one for greedy search), best first
     */
    public static List<List<Hypothesis>> run(Seq2Seq network, ParameterStore ps, NDArray source,
                                             NDArray sourceLengths, SearchOptions options) {
        int[] maxLengths = options.limits(sourceLengths);
        if (options.beamSize() == 1) {
            return GreedySearch.search(network, ps, source, sourceLengths, maxLengths, options).stream()
                    .map(List::of).toList();
        }
        return BeamSearch.search(network, ps, source, sourceLengths, maxLengths, options);
    }
}
