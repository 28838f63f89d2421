package nmt.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import nmt.config.Config;
import nmt.data.LanguagePair;
import nmt.engine.Engines;

/** A model directory loaded for inference: config, vocabularies and parameters on the chosen device. */
public final class TrainedModel implements AutoCloseable {
    private final Config config;
    private final LanguagePair languages;
    private final TranslationModel block;
    private final Model model;

    private TrainedModel(Config config, LanguagePair languages, TranslationModel block, Model model) {
        this.config = config;
        this.languages = languages;
        this.block = block;
        this.model = model;
    }

    /** @param config the directory's config, possibly with decoding or attention overrides applied */
    public static TrainedModel load(ModelDirectory dir, Config config) {
        LanguagePair languages = dir.languages(config);
        Device device = Engines.device(config.device());
        TranslationModel block = ModelFactory.create(config, languages.source().vocabulary().size(),
                languages.target().vocabulary().size());
        Model model = Model.newInstance("nmt", device, "PyTorch");
        try {
            model.setBlock(block);
            dir.loadParameters(model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return new TrainedModel(config, languages, block, model);
    }

    public static TrainedModel load(Path dir) {
        ModelDirectory directory = ModelDirectory.open(dir);
        return load(directory, directory.config());
    }

    public Config config() {
        return config;
    }

    public LanguagePair languages() {
        return languages;
    }

    public TranslationModel block() {
        return block;
    }

    /** The DJL model that owns the parameters (its block may be replaced to run a search, see decode.TextTranslator). */
    public Model djlModel() {
        return model;
    }

    public NDManager manager() {
        return model.getNDManager();
    }

    public ParameterStore parameterStore() {
        return new ParameterStore(model.getNDManager(), false);
    }

    @Override
    public void close() {
        model.close();
    }
}
