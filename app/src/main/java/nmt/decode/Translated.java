package nmt.decode;

import java.util.List;

/**
 * What came of one input line.
 *
 * @param nbest        the best hypotheses, best first; none for a line without tokens
 * @param sourceTokens the line's tokens
 * @param readTokens   those the model read: fewer than {@code sourceTokens} when the line was
 *                     longer than the model's data.max_length
 */
public record Translated(List<Hypothesis> nbest, int sourceTokens, int readTokens) {
    public boolean truncated() {
        return readTokens < sourceTokens;
    }

    /** The best hypothesis, or null for a line without tokens. */
    public Hypothesis best() {
        return nbest.isEmpty() ? null : nbest.get(0);
    }
}
