package nmt.decode;

import ai.djl.ndarray.NDArray;
import nmt.data.Vocabulary;

/**
 * Rules every search applies to the next-token log-probabilities: no {@code <unk>} when it is
 * switched off, no {@code <eos>} before the minimum length.
 *
 * @param allowUnknown whether {@code <unk>} may be produced
 * @param minLength    tokens to produce before {@code <eos>} is allowed
 */
public record Constraints(boolean allowUnknown, int minLength) {
    public static final Constraints NONE = new Constraints(true, 0);

    /** @param logProbs [rows, V] at decoding step {@code step} (0 for the first token) */
    NDArray apply(NDArray logProbs, int step) {
        boolean blockEos = step < minLength;
        if (allowUnknown && !blockEos) {
            return logProbs;
        }
        float[] bias = new float[(int) logProbs.getShape().get(1)];
        if (!allowUnknown) {
            bias[Vocabulary.UNK_ID] = Float.NEGATIVE_INFINITY;
        }
        if (blockEos) {
            bias[Vocabulary.EOS_ID] = Float.NEGATIVE_INFINITY;
        }
        return logProbs.add(logProbs.getManager().create(bias));
    }
}
