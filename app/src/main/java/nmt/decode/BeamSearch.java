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
import nmt.model.Seq2Seq;
import nmt.model.StepOutput;

/**
 * Batched beam search over the model's incremental interface: each sentence keeps its own beam of
 * {@code k} hypotheses; a hypothesis ends with {@code <eos>} (or at the sentence's length limit)
 * and is ranked by its log-probability divided by GNMT's length penalty ((5 + |y|) / 6)^α; a
 * sentence leaves the computation once it has {@code k} finished hypotheses.
 *
 * <p>Each step reads top to bottom: the network scores the next token of every live row
 * ({@link #pick}: the 2k best continuations per sentence), continuations ending in {@code <eos>}
 * finish and the others form the next beams ({@link #advance}), and the decoder state follows the
 * rows that continue (reorder). A is the number of sentences still searching, k the beam size, V
 * the target vocabulary, S the source length; live rows are sentence-major, A·k of them.
 */
public final class BeamSearch {
    private BeamSearch() {
    }

    /**
     * @param source        [B, S] ids
     * @param sourceLengths [B]
     * @param maxLengths    per sentence, the most tokens to produce (excluding {@code <eos>})
     * @param options       beam size k (1 gives greedy search's output), length penalty, n-best, constraints
     * @return per sentence, its best {@code options.nbest()} hypotheses, best first
     */
    public static List<List<Hypothesis>> search(Seq2Seq network, ParameterStore ps, NDArray source,
                                                NDArray sourceLengths, int[] maxLengths, SearchOptions options) {
        int k = options.beamSize();
        Finished finished = new Finished(maxLengths.length, options.lengthPenalty());
        Beams beams = Beams.start(maxLengths.length, k);
        int limit = Arrays.stream(maxLengths).max().orElse(0);
        try (SearchScope scoped = SearchScope.encode(network, ps, source, sourceLengths, limit)) {
            // Each sentence's encoding repeated for its k rows: [B·k, ...]; only its first row is live yet.
            scoped.endStep(scoped.state().select(scoped.beginStep().create(beams.parents())));
            for (int t = 0; beams.sentences().length > 0; t++) {
                if (beams.allAtLimit(maxLengths, t)) {
                    for (int a = 0; a < beams.sentences().length; a++) {
                        beams.endAtLimit(a, k, finished);
                    }
                    break;
                }
                NDManager manager = scoped.beginStep();
                // logProbs [A·k, V], attention [A·k, S]
                StepOutput out = network.step(ps, scoped.state(), manager.create(beams.lastTokens()));
                Candidates candidates = pick(out, beams, options.constraints(), t, k, manager);
                Beams next = advance(beams, candidates, finished, maxLengths, t, k);
                if (next.sentences().length == 0) {
                    break;
                }
                // Reorder: each next row continues the decoder state of the row it extends.
                scoped.endStep(out.state().select(manager.create(next.parents())));
                beams = next;
            }
        }
        return finished.best(options.nbest());
    }

    /**
     * The best continuations of each sentence over all its rows.
     *
     * @param scores    [A, width] total log-probabilities, best first
     * @param ids       [A, width] each one's row within the sentence × V + token
     * @param attention [A·k, S] this step's attention weights
     */
    private record Candidates(float[] scores, long[] ids, int width, int vocabulary, float[] attention,
                              int sourceLength) {
    }

    /** Scores every row's next tokens (constrained, plus the row's score so far) and keeps each sentence's 2k best. */
    private static Candidates pick(StepOutput out, Beams beams, Constraints constraints, int t, int k,
                                   NDManager manager) {
        int active = beams.sentences().length;
        int vocabulary = (int) out.logProbs().getShape().get(1);
        int sourceLength = (int) out.attention().getShape().get(1);
        // In place: the step's scores are read only here, and a copy of [A·k, V] costs more than the sum.
        NDArray total = constraints.apply(out.logProbs(), t, Arrays.asList(beams.tokens()))  // [A·k, V]
                .addi(manager.create(beams.scores()).expandDims(1))
                .reshape(active, -1);                                                          // [A, k·V]
        NDList best = total.topK(Math.min(2 * k, k * vocabulary), 1, true, true);          // [A, 2k] twice
        float[] scores = best.get(0).toFloatArray();
        long[] ids = best.get(1).toType(DataType.INT64, false).toLongArray();
        return new Candidates(scores, ids, scores.length / active, vocabulary, out.attention().toFloatArray(),
                sourceLength);
    }

    /**
     * Per sentence, in candidate order: a continuation ending in {@code <eos>} finishes, the others
     * extend their row, until k rows continue or the sentence has k finished hypotheses. A sentence
     * at its length limit, with k finished or with nothing left to extend leaves the search; one
     * with fewer than k continuations fills its rows with dead copies (score −∞).
     */
    private static Beams advance(Beams beams, Candidates candidates, Finished finished, int[] maxLengths, int t,
                                 int k) {
        Beams.Builder next = new Beams.Builder();
        for (int a = 0; a < beams.sentences().length; a++) {
            int sentence = beams.sentences()[a];
            if (t == maxLengths[sentence]) {
                beams.endAtLimit(a, k, finished);
                continue;
            }
            int mark = next.rows();
            int kept = 0;
            for (int c = 0; c < candidates.width() && kept < k && finished.count(sentence) < k; c++) {
                int at = a * candidates.width() + c;
                float score = candidates.scores()[at];
                if (score == Float.NEGATIVE_INFINITY) {
                    break;
                }
                int row = a * k + (int) (candidates.ids()[at] / candidates.vocabulary());
                int token = (int) (candidates.ids()[at] % candidates.vocabulary());
                if (token == Vocabulary.EOS_ID) {
                    finished.add(sentence, beams.tokens()[row], beams.attention()[row], score);
                } else {
                    float[] weights = Arrays.copyOfRange(candidates.attention(), row * candidates.sourceLength(),
                            (row + 1) * candidates.sourceLength());
                    next.extend(row, score, beams.tokens()[row], token, beams.attention()[row], weights);
                    kept++;
                }
            }
            if (finished.count(sentence) >= k || kept == 0) {
                next.dropFrom(mark);
                continue;
            }
            next.fill(sentence, k - kept);
        }
        return next.build();
    }

    /**
     * The live rows: k per sentence still searching.
     *
     * @param sentences the sentences still searching, [A]
     * @param parents   per row, the row of the previous step it extends (for the first step, its sentence)
     * @param scores    per row, the summed log-probability; −∞ for a dead row
     * @param tokens    per row, the tokens so far
     * @param attention per row, one row of source weights per token
     */
    private record Beams(int[] sentences, int[] parents, float[] scores, int[][] tokens, float[][][] attention) {
        static Beams start(int batch, int k) {
            int[] sentences = new int[batch];
            Arrays.setAll(sentences, b -> b);
            int[] parents = new int[batch * k];
            Arrays.setAll(parents, i -> i / k);
            float[] scores = new float[batch * k];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = i % k == 0 ? 0f : Float.NEGATIVE_INFINITY;
            }
            return new Beams(sentences, parents, scores, new int[batch * k][0], new float[batch * k][0][]);
        }

        /** [A·k] the token each row last produced ({@code <bos>} at first). */
        int[] lastTokens() {
            int[] last = new int[tokens.length];
            for (int i = 0; i < tokens.length; i++) {
                last[i] = tokens[i].length == 0 ? Vocabulary.BOS_ID : tokens[i][tokens[i].length - 1];
            }
            return last;
        }

        boolean allAtLimit(int[] maxLengths, int t) {
            return Arrays.stream(sentences).allMatch(sentence -> maxLengths[sentence] == t);
        }

        /** The a-th sentence reached its length limit: its live rows finish there. */
        void endAtLimit(int a, int k, Finished finished) {
            for (int row = a * k; row < a * k + k; row++) {
                if (scores[row] != Float.NEGATIVE_INFINITY) {
                    finished.add(sentences[a], tokens[row], attention[row], scores[row]);
                }
            }
        }

        /** The next step's rows, gathered sentence by sentence. */
        static final class Builder {
            private final List<Integer> sentences = new ArrayList<>();
            private final List<Integer> parents = new ArrayList<>();
            private final List<Float> scores = new ArrayList<>();
            private final List<int[]> tokens = new ArrayList<>();
            private final List<float[][]> attention = new ArrayList<>();

            int rows() {
                return parents.size();
            }

            void extend(int parent, float score, int[] before, int token, float[][] alignedBefore, float[] weights) {
                int[] extended = Arrays.copyOf(before, before.length + 1);
                extended[before.length] = token;
                float[][] aligned = Arrays.copyOf(alignedBefore, alignedBefore.length + 1);
                aligned[alignedBefore.length] = weights;
                parents.add(parent);
                scores.add(score);
                tokens.add(extended);
                attention.add(aligned);
            }

            /** Forgets the rows added since {@code mark}: their sentence left the search. */
            void dropFrom(int mark) {
                parents.subList(mark, parents.size()).clear();
                scores.subList(mark, scores.size()).clear();
                tokens.subList(mark, tokens.size()).clear();
                attention.subList(mark, attention.size()).clear();
            }

            /** Completes the sentence's k rows with {@code missing} dead copies of its last row. */
            void fill(int sentence, int missing) {
                int last = parents.size() - 1;
                for (int i = 0; i < missing; i++) {
                    parents.add(parents.get(last));
                    scores.add(Float.NEGATIVE_INFINITY);
                    tokens.add(tokens.get(last));
                    attention.add(attention.get(last));
                }
                sentences.add(sentence);
            }

            Beams build() {
                float[] s = new float[scores.size()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = scores.get(i);
                }
                return new Beams(sentences.stream().mapToInt(Integer::intValue).toArray(),
                        parents.stream().mapToInt(Integer::intValue).toArray(), s, tokens.toArray(new int[0][]),
                        attention.toArray(new float[0][][]));
            }
        }
    }

    /** Each sentence's finished hypotheses, scored with the length penalty. */
    private static final class Finished {
        private final List<List<Hypothesis>> done = new ArrayList<>();
        private final double alpha;

        Finished(int batch, double alpha) {
            this.alpha = alpha;
            for (int b = 0; b < batch; b++) {
                done.add(new ArrayList<>());
            }
        }

        int count(int sentence) {
            return done.get(sentence).size();
        }

        void add(int sentence, int[] tokens, float[][] attention, float score) {
            done.get(sentence).add(new Hypothesis(tokens, attention, score / lengthPenalty(tokens.length, alpha)));
        }

        List<List<Hypothesis>> best(int nbest) {
            List<List<Hypothesis>> result = new ArrayList<>(done.size());
            for (List<Hypothesis> hypotheses : done) {
                List<Hypothesis> sorted = new ArrayList<>(hypotheses);
                sorted.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
                result.add(sorted.subList(0, Math.min(nbest, sorted.size())));
            }
            return result;
        }
    }

    /** GNMT's length penalty ((5 + length) / 6)^α. */
    static double lengthPenalty(int length, double alpha) {
        return Math.pow((5.0 + length) / 6.0, alpha);
    }
}
