package nmt.model.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import nmt.model.Rows;

/**
 * The source side as attention sees it, computed once per sentence.
 *
 * @param preparedKeys what the score function made of the keys, [B, S, *] (or its transpose)
 * @param values       [B, S, Dv]
 * @param lengths      valid source lengths as floats, [B, 1, 1]
 * @param maskBias     0 at valid positions, a large negative number at padding, [B, 1, S]
 */
public record AttendedSource(NDArray preparedKeys, NDArray values, NDArray lengths, NDArray maskBias) {
    /** Keeps (and repeats) the batch rows named by {@code rows}, e.g. to follow beams. */
    public AttendedSource select(NDArray rows) {
        return new AttendedSource(Rows.select(preparedKeys, rows), Rows.select(values, rows),
                Rows.select(lengths, rows), Rows.select(maskBias, rows));
    }

    public NDList arrays() {
        return new NDList(preparedKeys, values, lengths, maskBias);
    }

    public long sourceLength() {
        return values.getShape().get(1);
    }
}
