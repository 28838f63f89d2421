package nmt.decode;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import nmt.config.DecodingConfig;
import nmt.data.Vocabulary;

/**
 * Rules every search applies to the next-token log-probabilities: no {@code <unk>} when it is
 * switched off, no {@code <eos>} before the minimum length, and no n-gram of the blocked size
 * twice in one output.
 *
 * @param allowUnknown  whether {@code <unk>} may be produced
 * @param minLength     tokens to produce before {@code <eos>} is allowed
 * @param noRepeatNgram the size of n-grams that may not repeat; 0 is off
 */
public record Constraints(boolean allowUnknown, int minLength, int noRepeatNgram) {
    public static final Constraints NONE = new Constraints(true, 0, 0);

    public static Constraints of(DecodingConfig decoding) {
        return new Constraints(decoding.allowUnk(), decoding.minOutputLength(), decoding.noRepeatNgramSize());
    }

    /**
     * @param logProbs [rows, V] at decoding step {@code step} (0 for the first token)
     * @param history  per row, the tokens produced so far
     */
    NDArray apply(NDArray logProbs, int step, List<int[]> history) {
        boolean blockEos = step < minLength;
        boolean blockNgrams = noRepeatNgram > 0 && step >= noRepeatNgram - 1;
        if (allowUnknown && !blockEos && !blockNgrams) {
            return logProbs;
        }
        int vocabulary = (int) logProbs.getShape().get(1);
        float[] bias = new float[vocabulary];
        if (!allowUnknown) {
            bias[Vocabulary.UNK_ID] = Float.NEGATIVE_INFINITY;
        }
        if (blockEos) {
            bias[Vocabulary.EOS_ID] = Float.NEGATIVE_INFINITY;
        }
        NDArray constrained = logProbs.add(logProbs.getManager().create(bias));
        if (!blockNgrams) {
            return constrained;
        }
        float[] perRow = new float[history.size() * vocabulary];
        boolean any = false;
        for (int row = 0; row < history.size(); row++) {
            for (int token : repeatingTokens(history.get(row))) {
                perRow[row * vocabulary + token] = Float.NEGATIVE_INFINITY;
                any = true;
            }
        }
        return any ? constrained.add(logProbs.getManager().create(perRow).reshape(history.size(), vocabulary))
                : constrained;
    }

    /** Tokens that would complete an n-gram already present in {@code tokens}. */
    int[] repeatingTokens(int[] tokens) {
        int n = noRepeatNgram;
        int length = tokens.length;
        if (length < n - 1) {
            return new int[0];
        }
        int[] prefix = Arrays.copyOfRange(tokens, length - n + 1, length);
        return IntStream.rangeClosed(0, length - n)
                .filter(i -> Arrays.equals(tokens, i, i + n - 1, prefix, 0, n - 1))
                .map(i -> tokens[i + n - 1])
                .toArray();
    }
}
