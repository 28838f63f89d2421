package nmt.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.util.List;
import nmt.config.DecodingConfig;
import nmt.model.TranslationModel;

/** The search a decoding config asks for: greedy for beam size 1, beam search otherwise, with its constraints. */
public final class Search {
    private Search() {
    }

    /**
     * @param source        [B, S] ids, each row ending with {@code <eos>}
     * @param sourceLengths [B], counting that {@code <eos>}
     * @return per sentence, the best {@code nbest} hypotheses (one for greedy search), best first
     */
    public static List<List<Hypothesis>> run(TranslationModel model, ParameterStore ps, NDArray source,
                                             NDArray sourceLengths, DecodingConfig decoding, int nbest) {
        int[] lengths = sourceLengths.toType(DataType.INT32, false).toIntArray();
        int[] maxLengths = new int[lengths.length];
        for (int b = 0; b < lengths.length; b++) {
            maxLengths[b] = decoding.outputLimit(lengths[b] - 1);
        }
        Constraints constraints = Constraints.of(decoding);
        if (decoding.beamSize() == 1) {
            return GreedySearch.search(model, ps, source, sourceLengths, maxLengths, constraints).stream()
                    .map(List::of).toList();
        }
        return BeamSearch.search(model, ps, source, sourceLengths, maxLengths, decoding.beamSize(),
                decoding.lengthPenalty(), Math.min(nbest, decoding.beamSize()), constraints);
    }
}
