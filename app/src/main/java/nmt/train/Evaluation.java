package nmt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import nmt.data.Batch;
import nmt.data.EncodedCorpus;
import nmt.data.TokenBatcher;
import nmt.decode.Translated;
import nmt.decode.Translator;
import nmt.eval.Bleu;
import nmt.eval.ChrF;
import nmt.eval.TranslationScore;
import nmt.model.Inputs;
import nmt.model.Seq2Seq;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a model on a held-out split (teacher-forced loss and perplexity, and BLEU and chrF2 of its
 * translations), or a model's translations of any text.
 */
public final class Evaluation {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);
    private static final LabelSmoothedCrossEntropy NLL = new LabelSmoothedCrossEntropy(0);

    /**
     * @param loss        mean negative log-likelihood per target token
     * @param translation the detokenized translations, in corpus order, and their scores
     */
    public record Result(double loss, double perplexity, TranslationScore translation) {
    }

    private Evaluation() {
    }

    /**
     * Translates {@code sources} and scores the output against one or more reference sets, timing
     * the search and detokenization.
     *
     * @param sourceName names the source in warnings about lines longer than the model reads
     */
    public static TranslationScore translateAndScore(Translator translator, List<String> sources, String sourceName,
                                                     List<List<String>> references, Bleu bleu, ChrF chrf) {
        long start = System.nanoTime();
        List<String> hypotheses = new ArrayList<>(sources.size());
        long tokens = 0;
        List<Translated> results = translator.search(sources, 1);
        for (int i = 0; i < results.size(); i++) {
            Translated result = results.get(i);
            if (result.truncated()) {
                LOG.warn("{}:{} has {} tokens; only the first {} are translated", sourceName, i + 1,
                        result.sourceTokens(), result.readTokens());
            }
            hypotheses.add(translator.text(result));
            tokens += result.best() == null ? 0 : result.best().ids().length;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return TranslationScore.of(hypotheses, tokens, seconds, references, bleu, chrf);
    }

    public static Result run(Seq2Seq model, Translator translator, EncodedCorpus corpus, Bleu bleu, ChrF chrf,
                             NDManager parent, ParameterStore ps, int batchTokens) {
        double lossSum = 0;
        long tokens = 0;
        for (int[] indices : TokenBatcher.batches(corpus.examples(), batchTokens, new Random(0))) {
            Batch batch = Batch.of(corpus.examples(), indices);
            try (NDManager manager = parent.newSubManager()) {
                NDArray logits = model.forward(ps,
                        Inputs.ids(manager, batch.source(), batch.size(), batch.sourceLength()),
                        Inputs.lengths(manager, batch.sourceLengths()),
                        Inputs.ids(manager, batch.targetInput(), batch.size(), batch.targetLength()), false);
                NDArray targets = Inputs.ids(manager, batch.targetOutput(), batch.size(), batch.targetLength());
                lossSum += NLL.tokenLosses(targets, logits).sum().getFloat();
                tokens += batch.targetTokens();
            }
        }
        double loss = lossSum / Math.max(1, tokens);
        return new Result(loss, Math.exp(loss), translateAndScore(translator, corpus.rawSource(), corpus.name(),
                List.of(corpus.rawTarget()), bleu, chrf));
    }
}
