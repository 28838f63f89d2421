package nmt.decode;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslatorContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nmt.data.Batch;
import nmt.data.Example;
import nmt.data.LanguagePair;
import nmt.model.Inputs;
import nmt.modeldir.TranslationModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DJL's pre- and post-processing for a {@link SearchBlock}: a raw sentence in, its detokenized
 * translation out; {@code batchPredict} pads the sentences into one batch. An empty sentence gives
 * an empty translation.
 */
public final class TextTranslator implements ai.djl.translate.Translator<String, String> {
    private static final Logger LOG = LoggerFactory.getLogger(TextTranslator.class);
    private static final String EMPTY = "nmt.empty";

    private final LanguagePair languages;
    private final int maxSourceLength;

    public TextTranslator(LanguagePair languages, int maxSourceLength) {
        this.languages = languages;
        this.maxSourceLength = maxSourceLength;
    }

    /**
     * A DJL predictor over a loaded model or ensemble, decoding with its config's decoding section.
     * The DJL model's block becomes a {@link SearchBlock} around the network; close the predictor
     * before the model.
     */
    public static Predictor<String, String> newPredictor(TranslationModel translation) {
        Model model = translation.djlModel();
        model.setBlock(new SearchBlock(translation.network(), translation.config().decoding()));
        return model.newPredictor(new TextTranslator(translation.languages(),
                translation.config().data().maxLength()));
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String input) {
        return batchProcessInput(ctx, List.of(input));
    }

    @Override
    public String processOutput(TranslatorContext ctx, NDList list) {
        return batchProcessOutput(ctx, list).get(0);
    }

    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<String> inputs) {
        List<Example> examples = new ArrayList<>(inputs.size());
        boolean[] empty = new boolean[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            SourceIds source = SourceIds.of(languages.sourcePipeline(), inputs.get(i), maxSourceLength);
            empty[i] = source.tokens() == 0;
            if (source.truncated()) {
                LOG.warn("a sentence has {} tokens; only the first {} are translated", source.tokens(),
                        maxSourceLength);
            }
            examples.add(new Example(source.ids(), new int[0]));
        }
        ctx.setAttachment(EMPTY, empty);
        Batch batch = Batch.of(examples);
        return new NDList(Inputs.ids(ctx.getNDManager(), batch.source(), batch.size(), batch.sourceLength()),
                Inputs.lengths(ctx.getNDManager(), batch.sourceLengths()));
    }

    @Override
    public List<String> batchProcessOutput(TranslatorContext ctx, NDList list) {
        boolean[] empty = (boolean[]) ctx.getAttachment(EMPTY);
        int[] ids = list.get(0).toIntArray();
        int width = (int) list.get(0).getShape().get(1);
        List<String> out = new ArrayList<>(empty.length);
        for (int b = 0; b < empty.length; b++) {
            // <pad> (0) is dropped by the vocabulary's decode like the other specials.
            out.add(empty[b] ? "" : languages.targetPipeline().decode(Arrays.copyOfRange(ids, b * width, (b + 1) * width)));
        }
        return out;
    }
}
