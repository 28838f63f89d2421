package nmt.decode;

/**
 * One output sentence.
 *
 * @param ids       target ids without {@code <bos>}/{@code <eos>}
 * @param attention one row of source weights per output token
 * @param score     log-probability, divided by the length penalty where beam search applies one
 */
public record Hypothesis(int[] ids, float[][] attention, double score) {
}
