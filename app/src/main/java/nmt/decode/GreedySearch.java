package nmt.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nmt.data.Vocabulary;
import nmt.model.Seq2Seq;
import nmt.model.StepOutput;

/** Arg-max decoding over the model's incremental interface, a batch at a time. */
public final class GreedySearch {
    private GreedySearch() {
    }

    /**
     * @param source        [B, S] ids
     * @param sourceLengths [B]
     * @param maxLengths    per sentence, the most tokens to produce (excluding {@code <eos>})
     * @param options       its constraints apply; beam size, n-best and length penalty do not
     * @return one result per sentence: ids up to (not including) {@code <eos>}, with attention rows and
     *     the summed log-probability
     */
    public static List<Hypothesis> search(Seq2Seq network, ParameterStore ps, NDArray source, NDArray sourceLengths,
                                          int[] maxLengths, SearchOptions options) {
        Constraints constraints = options.constraints();
        int batch = maxLengths.length;
        int limit = Arrays.stream(maxLengths).max().orElse(0);
        int[] previous = new int[batch];
        Arrays.fill(previous, Vocabulary.BOS_ID);
        List<List<Integer>> tokens = new ArrayList<>(batch);
        List<List<float[]>> attention = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            tokens.add(new ArrayList<>());
            attention.add(new ArrayList<>());
        }
        boolean[] done = new boolean[batch];
        double[] scores = new double[batch];
        int remaining = batch;
        int sourceLength = (int) source.getShape().get(1);
        try (SearchScope scoped = SearchScope.encode(network, ps, source, sourceLengths, limit)) {
            for (int t = 0; remaining > 0; t++) {
                for (int b = 0; b < batch; b++) {
                    if (!done[b] && t == maxLengths[b]) {
                        done[b] = true;
                        remaining--;
                    }
                }
                if (remaining == 0) {
                    break;
                }
                NDManager manager = scoped.beginStep();
                StepOutput out = network.step(ps, scoped.state(), manager.create(previous));
                // Only n-gram blocking reads the tokens so far; spare the copies otherwise.
                List<int[]> history = new ArrayList<>(batch);
                if (constraints.noRepeatNgram() > 0) {
                    for (List<Integer> produced : tokens) {
                        history.add(produced.stream().mapToInt(Integer::intValue).toArray());
                    }
                }
                NDArray logProbs = constraints.apply(out.logProbs(), t, history);
                long[] best = logProbs.argMax(-1).toType(DataType.INT64, false).toLongArray();
                float[] bestScores = logProbs.max(new int[] {-1}).toFloatArray();
                float[] weights = out.attention().toFloatArray();
                for (int b = 0; b < batch; b++) {
                    if (done[b]) {
                        continue;
                    }
                    int id = (int) best[b];
                    scores[b] += bestScores[b];
                    if (id == Vocabulary.EOS_ID) {
                        done[b] = true;
                        remaining--;
                        continue;
                    }
                    tokens.get(b).add(id);
                    attention.get(b).add(Arrays.copyOfRange(weights, b * sourceLength, (b + 1) * sourceLength));
                    previous[b] = id;
                }
                scoped.endStep(out.state());
            }
        }
        List<Hypothesis> result = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            result.add(new Hypothesis(tokens.get(b).stream().mapToInt(Integer::intValue).toArray(),
                    attention.get(b).toArray(new float[0][]), scores[b]));
        }
        return result;
    }
}
