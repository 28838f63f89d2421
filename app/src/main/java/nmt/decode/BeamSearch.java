package nmt.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import nmt.data.Vocabulary;
import nmt.model.StepOutput;
import nmt.model.TranslationModel;

/**
 * Batched beam search over the model's incremental interface: each sentence keeps its own beam of
 * {@code k} hypotheses; a hypothesis ends with {@code <eos>} (or at the sentence's length limit)
 * and is ranked by its log-probability divided by GNMT's length penalty ((5 + |y|) / 6)^α; a
 * sentence leaves the computation once it has {@code k} finished hypotheses.
 */
public final class BeamSearch {
    private BeamSearch() {
    }

    /**
     * @param maxLengths per sentence, the most tokens to produce (excluding {@code <eos>})
     * @param beamSize   k; 1 gives greedy search's output
     * @param alpha      length-penalty exponent; 0 ranks by plain log-probability
     * @param nbest      hypotheses kept per sentence (at most k), best first
     */
    public static List<List<Hypothesis>> search(TranslationModel model, ParameterStore ps, NDArray source,
                                                NDArray sourceLengths, int[] maxLengths, int beamSize, double alpha,
                                                int nbest) {
        return search(model, ps, source, sourceLengths, maxLengths, beamSize, alpha, nbest, Constraints.NONE);
    }

    /** The same, with {@link Constraints}. */
    public static List<List<Hypothesis>> search(TranslationModel model, ParameterStore ps, NDArray source,
                                                NDArray sourceLengths, int[] maxLengths, int beamSize, double alpha,
                                                int nbest, Constraints constraints) {
        int batch = maxLengths.length;
        int k = beamSize;
        List<List<Hypothesis>> finished = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            finished.add(new ArrayList<>());
        }
        // Rows of the running computation: active sentences × k beams.
        int[] active = new int[batch];
        for (int b = 0; b < batch; b++) {
            active[b] = b;
        }
        int[] rows = new int[batch * k];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i / k;
        }
        float[] scores = new float[batch * k];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i % k == 0 ? 0f : Float.NEGATIVE_INFINITY;
        }
        int[][] tokens = new int[batch * k][0];
        float[][][] attention = new float[batch * k][0][];
        int[] previous = new int[batch * k];
        Arrays.fill(previous, Vocabulary.BOS_ID);

        int limit = Arrays.stream(maxLengths).max().orElse(0);
        try (ScopedState scoped = ScopedState.encode(model, ps, source, sourceLengths, limit)) {
            scoped.endStep(scoped.state().select(scoped.beginStep().create(rows)));
            for (int t = 0; active.length > 0; t++) {
                if (allAtLimit(active, maxLengths, t)) {
                    for (int a = 0; a < active.length; a++) {
                        endAtLimit(finished.get(active[a]), a * k, k, scores, tokens, attention, alpha);
                    }
                    break;
                }
                NDManager manager = scoped.beginStep();
                StepOutput out = model.step(ps, scoped.state(), manager.create(previous));
                int vocabulary = (int) out.logProbs().getShape().get(1);
                int sourceLength = (int) out.attention().getShape().get(1);
                NDArray total = constraints.apply(out.logProbs(), t, Arrays.asList(tokens)).add(manager.create(scores).expandDims(1))
                        .reshape(active.length, -1);
                NDList best = total.topK(Math.min(2 * k, k * vocabulary), 1, true, true);
                float[] candidateScores = best.get(0).toFloatArray();
                long[] candidateIds = best.get(1).toType(DataType.INT64, false).toLongArray();
                float[] weights = out.attention().toFloatArray();
                int width = candidateScores.length / active.length;

                List<Integer> nextActive = new ArrayList<>();
                List<Integer> parents = new ArrayList<>();
                List<Float> nextScores = new ArrayList<>();
                List<int[]> nextTokens = new ArrayList<>();
                List<float[][]> nextAttention = new ArrayList<>();
                for (int a = 0; a < active.length; a++) {
                    int sentence = active[a];
                    List<Hypothesis> done = finished.get(sentence);
                    if (t == maxLengths[sentence]) {
                        endAtLimit(done, a * k, k, scores, tokens, attention, alpha);
                        continue;
                    }
                    int kept = 0;
                    for (int c = 0; c < width && kept < k && done.size() < k; c++) {
                        float score = candidateScores[a * width + c];
                        if (score == Float.NEGATIVE_INFINITY) {
                            break;
                        }
                        int row = a * k + (int) (candidateIds[a * width + c] / vocabulary);
                        int token = (int) (candidateIds[a * width + c] % vocabulary);
                        if (token == Vocabulary.EOS_ID) {
                            done.add(new Hypothesis(tokens[row], attention[row],
                                    score / lengthPenalty(tokens[row].length, alpha)));
                        } else {
                            int[] extended = Arrays.copyOf(tokens[row], tokens[row].length + 1);
                            extended[tokens[row].length] = token;
                            float[][] aligned = Arrays.copyOf(attention[row], attention[row].length + 1);
                            aligned[attention[row].length] = Arrays.copyOfRange(weights, row * sourceLength,
                                    (row + 1) * sourceLength);
                            parents.add(row);
                            nextScores.add(score);
                            nextTokens.add(extended);
                            nextAttention.add(aligned);
                            kept++;
                        }
                    }
                    if (done.size() >= k || kept == 0) {
                        for (int i = 0; i < kept; i++) {
                            int last = parents.size() - 1;
                            parents.remove(last);
                            nextScores.remove(last);
                            nextTokens.remove(last);
                            nextAttention.remove(last);
                        }
                        continue;
                    }
                    for (int i = kept; i < k; i++) {
                        parents.add(parents.get(parents.size() - 1));
                        nextScores.add(Float.NEGATIVE_INFINITY);
                        nextTokens.add(nextTokens.get(nextTokens.size() - 1));
                        nextAttention.add(nextAttention.get(nextAttention.size() - 1));
                    }
                    nextActive.add(sentence);
                }
                active = nextActive.stream().mapToInt(Integer::intValue).toArray();
                if (active.length == 0) {
                    break;
                }
                int[] parentRows = parents.stream().mapToInt(Integer::intValue).toArray();
                scoped.endStep(out.state().select(manager.create(parentRows)));
                scores = new float[parentRows.length];
                tokens = new int[parentRows.length][];
                attention = new float[parentRows.length][][];
                previous = new int[parentRows.length];
                for (int i = 0; i < parentRows.length; i++) {
                    scores[i] = nextScores.get(i);
                    tokens[i] = nextTokens.get(i);
                    attention[i] = nextAttention.get(i);
                    previous[i] = tokens[i][tokens[i].length - 1];
                }
            }
        }
        List<List<Hypothesis>> result = new ArrayList<>(batch);
        for (List<Hypothesis> done : finished) {
            List<Hypothesis> sorted = new ArrayList<>(done);
            sorted.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
            result.add(sorted.subList(0, Math.min(nbest, sorted.size())));
        }
        return result;
    }

    /** A sentence that reached its length limit: its live hypotheses (rows first..first+k−1) end there. */
    private static void endAtLimit(List<Hypothesis> done, int first, int k, float[] scores, int[][] tokens,
                                   float[][][] attention, double alpha) {
        for (int row = first; row < first + k; row++) {
            if (scores[row] != Float.NEGATIVE_INFINITY) {
                done.add(new Hypothesis(tokens[row], attention[row], scores[row] / lengthPenalty(tokens[row].length,
                        alpha)));
            }
        }
    }

    private static boolean allAtLimit(int[] active, int[] maxLengths, int t) {
        return Arrays.stream(active).allMatch(sentence -> maxLengths[sentence] == t);
    }

    /** GNMT's length penalty ((5 + length) / 6)^α. */
    static double lengthPenalty(int length, double alpha) {
        return Math.pow((5.0 + length) / 6.0, alpha);
    }
}
