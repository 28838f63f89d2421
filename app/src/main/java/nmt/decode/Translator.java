package nmt.decode;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import nmt.config.Config;
import nmt.config.DecodingConfig;
import nmt.data.Batch;
import nmt.data.Example;
import nmt.data.LanguagePair;
import nmt.data.Vocabulary;
import nmt.model.Inputs;
import nmt.model.Seq2Seq;
import nmt.modeldir.TranslationModel;

/**
 * Raw source lines in, detokenized translations out, in input order. Sentences are decoded in
 * batches of similar length (greedy or beam search), each batch inside its own NDManager; an
 * empty line gives an empty line. Every caller that translates lines goes through here; DJL's
 * Predictor runs the same search through {@link SearchBlock} and {@link TextTranslator}.
 */
public final class Translator {
    /** Lines a caller hands over at once at most: this many batches, so that sorting by length pays and memory stays bounded. */
    private static final int BATCHES_PER_CHUNK = 16;

    private final Seq2Seq network;
    private final LanguagePair languages;
    private final DecodingConfig decoding;
    private final int maxSourceLength;
    private final NDManager manager;
    private final ParameterStore parameters;

    private Translator(Seq2Seq network, LanguagePair languages, DecodingConfig decoding, int maxSourceLength,
                       NDManager manager, ParameterStore parameters) {
        this.network = network;
        this.languages = languages;
        this.decoding = decoding;
        this.maxSourceLength = maxSourceLength;
        this.manager = manager;
        this.parameters = parameters;
    }

    /** Decodes with a loaded model (or ensemble) as its config says. */
    public static Translator of(TranslationModel model) {
        Config config = model.config();
        return new Translator(model.network(), model.languages(), config.decoding(), config.data().maxLength(),
                model.manager(), model.parameterStore());
    }

    /** Decodes with a network being trained; batches open sub-managers of {@code manager}. */
    public static Translator of(Seq2Seq network, LanguagePair languages, Config config, NDManager manager,
                                ParameterStore parameters) {
        return new Translator(network, languages, config.decoding(), config.data().maxLength(), manager, parameters);
    }

    /** The same translator with another beam size (1: greedy). */
    public Translator withBeam(int beam) {
        return new Translator(network, languages, decoding.withBeamSize(beam), maxSourceLength, manager, parameters);
    }

    /** The most lines to hand to {@link #search} at once; see {@link Chunks}. */
    public int chunkSize() {
        return BATCHES_PER_CHUNK * decoding.batchSize();
    }

    /** One translation per line (the best one). */
    public List<String> translate(List<String> lines) {
        List<String> out = new ArrayList<>(lines.size());
        for (Translated t : search(lines, 1)) {
            out.add(text(t));
        }
        return out;
    }

    /** The best translation of a line, detokenized; empty for a line without tokens. */
    public String text(Translated translated) {
        return translated.best() == null ? "" : detokenize(translated.best());
    }

    public String detokenize(Hypothesis hypothesis) {
        return languages.targetPipeline().decode(hypothesis.ids());
    }

    /** How many tokens the source pipeline makes of a text. */
    public int tokenCount(String text) {
        return languages.sourcePipeline().tokens(text).size();
    }

    /**
     * Where each output token ends in {@link #detokenize}'s text, for placing markup between
     * tokens: the length of the detokenized prefix up to it, where that prefix is the text's own
     * (a detokenizer may join a token to the next, and then the earlier end stands).
     */
    public int[] tokenEnds(Hypothesis hypothesis) {
        int[] ids = hypothesis.ids();
        String text = detokenize(hypothesis);
        int[] ends = new int[ids.length];
        int end = 0;
        for (int k = 0; k < ids.length; k++) {
            String prefix = languages.targetPipeline().decode(Arrays.copyOf(ids, k + 1));
            if (text.startsWith(prefix) && prefix.length() >= end) {
                end = prefix.length();
            }
            ends[k] = end;
        }
        if (ids.length > 0) {
            ends[ids.length - 1] = text.length();
        }
        return ends;
    }

    /** The source tokens as the model reads them (truncated like the input, then {@code <eos>}), for plots. */
    public List<String> sourceLabels(String line) {
        List<String> tokens = languages.sourcePipeline().tokens(line);
        List<String> labels = new ArrayList<>();
        for (String token : tokens.subList(0, Math.min(tokens.size(), maxSourceLength))) {
            labels.add(languages.sourcePipeline().tokenizer().label(token));
        }
        labels.add(Vocabulary.EOS);
        return labels;
    }

    /** The output tokens of a hypothesis, for plots. */
    public List<String> outputLabels(Hypothesis hypothesis) {
        List<String> labels = new ArrayList<>();
        for (int id : hypothesis.ids()) {
            labels.add(languages.targetPipeline().tokenizer().label(languages.targetPipeline().vocabulary().token(id)));
        }
        return labels;
    }

    /**
     * The best {@code nbest} hypotheses per line, best first: greedy search for beam size 1, beam
     * search otherwise; none for a line with no tokens. A line longer than the model's
     * data.max_length is cut there; its result says so, for the caller to tell where it came from.
     */
    public List<Translated> search(List<String> lines, int nbest) {
        List<SourceIds> sources = new ArrayList<>(lines.size());
        for (String line : lines) {
            sources.add(SourceIds.of(languages.sourcePipeline(), line, maxSourceLength));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).ids().length > 0) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingInt(i -> sources.get(i).ids().length));
        List<List<Hypothesis>> results = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            results.add(List.of());
        }
        SearchOptions options = SearchOptions.of(decoding, nbest);
        for (int start = 0; start < order.size(); start += decoding.batchSize()) {
            List<Integer> chunk = order.subList(start, Math.min(order.size(), start + decoding.batchSize()));
            List<Example> examples = new ArrayList<>(chunk.size());
            for (int i : chunk) {
                examples.add(new Example(sources.get(i).ids(), new int[0]));
            }
            Batch batch = Batch.of(examples);
            try (NDManager scope = manager.newSubManager()) {
                List<List<Hypothesis>> found = Search.run(network, parameters,
                        Inputs.ids(scope, batch.source(), batch.size(), batch.sourceLength()),
                        Inputs.lengths(scope, batch.sourceLengths()), options);
                for (int k = 0; k < chunk.size(); k++) {
                    results.set(chunk.get(k), found.get(k));
                }
            }
        }
        List<Translated> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            out.add(new Translated(results.get(i), sources.get(i).tokens(), sources.get(i).ids().length));
        }
        return out;
    }
}
