package nmt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Random;
import nmt.data.Batch;
import nmt.data.EncodedCorpus;
import nmt.data.TokenBatcher;
import nmt.decode.Translator;
import nmt.eval.Bleu;
import nmt.eval.ChrF;
import nmt.eval.TranslationScore;
import nmt.model.Inputs;
import nmt.model.TranslationModel;

/** Scores a model on a held-out split: teacher-forced loss and perplexity, and BLEU and chrF2 of its translations. */
public final class Evaluation {
    private static final LabelSmoothedCrossEntropy NLL = new LabelSmoothedCrossEntropy(0);

    /**
     * @param loss        mean negative log-likelihood per target token
     * @param translation the detokenized translations, in corpus order, and their scores
     */
    public record Result(double loss, double perplexity, TranslationScore translation) {
    }

    private Evaluation() {
    }

    public static Result run(TranslationModel model, Translator translator, EncodedCorpus corpus, Bleu bleu, ChrF chrf,
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
        return new Result(loss, Math.exp(loss), TranslationScore.of(translator, corpus.rawSource(),
                List.of(corpus.rawTarget()), bleu, chrf, parent, ps));
    }
}
