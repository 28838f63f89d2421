package nmt.decode;

/**
 * One output sentence.
 *
 * @param ids       target ids without {@code <bos>}/{@code <eos>}
 * @param attention one row of source weights per output token
 */
public record Hypothesis(int[] ids, float[][] attention) {
}
