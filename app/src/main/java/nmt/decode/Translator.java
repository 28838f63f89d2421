package nmt.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import nmt.config.DecodingConfig;
import nmt.data.Batch;
import nmt.data.Example;
import nmt.data.LanguagePair;
import nmt.data.Vocabulary;
import nmt.model.Inputs;
import nmt.model.TranslationModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw source lines in, detokenized translations out, in input order. Sentences are decoded in
 * batches of similar length (greedy or beam search), each batch inside its own NDManager; an
 * empty line gives an empty line.
 */
public final class Translator {
    private static final Logger LOG = LoggerFactory.getLogger(Translator.class);

    private final TranslationModel model;
    private final LanguagePair languages;
    private final DecodingConfig decoding;
    private final int maxSourceLength;

    public Translator(TranslationModel model, LanguagePair languages, DecodingConfig decoding, int maxSourceLength) {
        this.model = model;
        this.languages = languages;
        this.decoding = decoding;
        this.maxSourceLength = maxSourceLength;
    }

    /** One translation per line (the best one). */
    public List<String> translate(List<String> lines, NDManager parent, ParameterStore ps) {
        List<String> out = new ArrayList<>(lines.size());
        for (List<Hypothesis> nbest : search(lines, 1, parent, ps, 1)) {
            out.add(nbest.isEmpty() ? "" : detokenize(nbest.get(0)));
        }
        return out;
    }

    public String detokenize(Hypothesis hypothesis) {
        return languages.target().decode(hypothesis.ids());
    }

    /** The source tokens as the model reads them (truncated like the input, then {@code <eos>}), for plots. */
    public List<String> sourceLabels(String line) {
        List<String> tokens = languages.source().tokens(line);
        List<String> labels = new ArrayList<>();
        for (String token : tokens.subList(0, Math.min(tokens.size(), maxSourceLength))) {
            labels.add(languages.source().tokenizer().label(token));
        }
        labels.add(Vocabulary.EOS);
        return labels;
    }

    /** The output tokens of a hypothesis, for plots. */
    public List<String> outputLabels(Hypothesis hypothesis) {
        List<String> labels = new ArrayList<>();
        for (int id : hypothesis.ids()) {
            labels.add(languages.target().tokenizer().label(languages.target().vocabulary().token(id)));
        }
        return labels;
    }

    /**
     * The best {@code nbest} hypotheses per line, best first: greedy search for beam size 1, beam
     * search otherwise; an empty list for a line with no tokens.
     *
     * @param firstLine the input line number of {@code lines[0]}, for warnings
     */
    public List<List<Hypothesis>> search(List<String> lines, int firstLine, NDManager parent, ParameterStore ps,
                                         int nbest) {
        List<int[]> sources = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            int[] ids = languages.source().encode(lines.get(i));
            if (ids.length > maxSourceLength) {
                LOG.warn("input line {} has {} tokens; only the first {} are translated", firstLine + i, ids.length,
                        maxSourceLength);
                ids = Arrays.copyOf(ids, maxSourceLength);
            }
            sources.add(ids);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).length > 0) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingInt(i -> sources.get(i).length));
        List<List<Hypothesis>> results = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            results.add(List.of());
        }
        for (int start = 0; start < order.size(); start += decoding.batchSize()) {
            List<Integer> chunk = order.subList(start, Math.min(order.size(), start + decoding.batchSize()));
            List<Example> examples = new ArrayList<>(chunk.size());
            for (int i : chunk) {
                examples.add(new Example(sources.get(i), new int[0]));
            }
            Batch batch = Batch.of(examples);
            try (NDManager manager = parent.newSubManager()) {
                List<List<Hypothesis>> found = Search.run(model, ps,
                        Inputs.ids(manager, batch.source(), batch.size(), batch.sourceLength()),
                        Inputs.lengths(manager, batch.sourceLengths()), decoding, nbest);
                for (int k = 0; k < chunk.size(); k++) {
                    results.set(chunk.get(k), found.get(k));
                }
            }
        }
        return results;
    }
}
