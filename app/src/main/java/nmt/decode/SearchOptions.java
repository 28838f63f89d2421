package nmt.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.function.IntUnaryOperator;
import nmt.config.DecodingConfig;

/**
 * How one search runs.
 *
 * @param beamSize      k; 1 is greedy search
 * @param lengthPenalty α of GNMT's length penalty ((5 + |y|) / 6)^α that beam search ranks by; 0 is plain log-probability
 * @param nbest         hypotheses returned per sentence, best first (at most k; greedy search returns 1)
 * @param constraints   rules applied to every step's log-probabilities
 * @param outputLimit   the most tokens to produce (not counting {@code <eos>}) for a source of n tokens
 *                      (not counting its {@code <eos>})
 */
public record SearchOptions(int beamSize, double lengthPenalty, int nbest, Constraints constraints,
                            IntUnaryOperator outputLimit) {
    /** What a decoding config asks for, returning {@code nbest} hypotheses (at most the beam size). */
    public static SearchOptions of(DecodingConfig decoding, int nbest) {
        return new SearchOptions(decoding.beamSize(), decoding.lengthPenalty(), Math.min(nbest, decoding.beamSize()),
                Constraints.of(decoding), decoding::outputLimit);
    }

    /** Greedy search without constraints. */
    public static SearchOptions greedy() {
        return beam(1, 0, 1);
    }

    /** Beam search of size k without constraints, ranked with length-penalty exponent α, returning nbest hypotheses. */
    public static SearchOptions beam(int k, double alpha, int nbest) {
        return new SearchOptions(k, alpha, nbest, Constraints.NONE, DecodingConfig.defaults()::outputLimit);
    }

    public SearchOptions withBeam(int beam) {
        return new SearchOptions(beam, lengthPenalty, Math.min(nbest, beam), constraints, outputLimit);
    }

    public SearchOptions withConstraints(Constraints rules) {
        return new SearchOptions(beamSize, lengthPenalty, nbest, rules, outputLimit);
    }

    /** Every output exactly {@code length} tokens long: no {@code <eos>} before, none after (for timing). */
    public SearchOptions forcedTo(int length) {
        return new SearchOptions(beamSize, lengthPenalty, nbest, new Constraints(constraints.allowUnknown(), length,
                constraints.noRepeatNgram()), n -> length);
    }

    /** @param sourceLengths [B] lengths counting each source's {@code <eos>}; @return per sentence, its output limit */
    int[] limits(NDArray sourceLengths) {
        int[] lengths = sourceLengths.toType(DataType.INT32, false).toIntArray();
        int[] limits = new int[lengths.length];
        for (int b = 0; b < lengths.length; b++) {
            limits[b] = outputLimit.applyAsInt(lengths[b] - 1);
        }
        return limits;
    }
}
