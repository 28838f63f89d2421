package nmt.data;

/** One sentence pair as token ids, without {@code <bos>}/{@code <eos>}. */
public record Example(int[] source, int[] target) {
}
