package nmt.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Padded id matrices for one batch, row-major {@code [size][length]}: the source ends with
 * {@code <eos>}; the decoder reads {@code <bos> y} and predicts {@code y <eos>}.
 */
public record Batch(int size, int sourceLength, int targetLength, int[] source, int[] sourceLengths,
                    int[] targetInput, int[] targetOutput, int[] targetLengths) {

    /** The batch of {@code examples} at {@code indices}, as {@link TokenBatcher} lists them. */
    public static Batch of(List<Example> examples, int[] indices) {
        return of(TrainingPairs.of(examples), indices);
    }

    /** The batch of the pairs at {@code indices}, as {@link TokenBatcher} lists them. */
    public static Batch of(TrainingPairs pairs, int[] indices) {
        List<Example> picked = new ArrayList<>(indices.length);
        for (int i : indices) {
            picked.add(pairs.example(i));
        }
        return of(picked);
    }

    public static Batch of(List<Example> examples) {
        int size = examples.size();
        int srcLen = 0;
        int trgLen = 0;
        for (Example e : examples) {
            srcLen = Math.max(srcLen, e.source().length + 1);
            trgLen = Math.max(trgLen, e.target().length + 1);
        }
        int[] source = new int[size * srcLen];
        int[] sourceLengths = new int[size];
        int[] targetInput = new int[size * trgLen];
        int[] targetOutput = new int[size * trgLen];
        int[] targetLengths = new int[size];
        for (int b = 0; b < size; b++) {
            int[] src = examples.get(b).source();
            int[] trg = examples.get(b).target();
            System.arraycopy(src, 0, source, b * srcLen, src.length);
            source[b * srcLen + src.length] = Vocabulary.EOS_ID;
            sourceLengths[b] = src.length + 1;
            targetInput[b * trgLen] = Vocabulary.BOS_ID;
            System.arraycopy(trg, 0, targetInput, b * trgLen + 1, trg.length);
            System.arraycopy(trg, 0, targetOutput, b * trgLen, trg.length);
            targetOutput[b * trgLen + trg.length] = Vocabulary.EOS_ID;
            targetLengths[b] = trg.length + 1;
        }
        return new Batch(size, srcLen, trgLen, source, sourceLengths, targetInput, targetOutput, targetLengths);
    }

    /** Non-padding target tokens (the predictions the loss is normalised by). */
    public int targetTokens() {
        int n = 0;
        for (int len : targetLengths) {
            n += len;
        }
        return n;
    }
}
