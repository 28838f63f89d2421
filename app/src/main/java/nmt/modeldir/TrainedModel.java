package nmt.modeldir;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import nmt.config.Config;
import nmt.data.LanguagePair;
import nmt.engine.Engines;
import nmt.model.ModelFactory;
import nmt.model.Seq2Seq;

/** One model directory loaded for inference: config, vocabularies and parameters on the chosen device. */
final class TrainedModel implements TranslationModel {
    private final Config config;
    private final LanguagePair languages;
    private final Seq2Seq network;
    private final Model model;

    private TrainedModel(Config config, LanguagePair languages, Seq2Seq network, Model model) {
        this.config = config;
        this.languages = languages;
        this.network = network;
        this.model = model;
    }

    /** @param config the directory's config, possibly with decoding or attention overrides applied */
    static TrainedModel load(ModelDirectory dir, Config config) {
        LanguagePair languages = dir.languages(config);
        Device device = Engines.device(config.device());
        Seq2Seq network = ModelFactory.create(config, languages.sourcePipeline().vocabulary().size(),
                languages.targetPipeline().vocabulary().size());
        Model model = Model.newInstance("nmt", device, "PyTorch");
        try {
            model.setBlock(network);
            dir.loadParameters(model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return new TrainedModel(config, languages, network, model);
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public LanguagePair languages() {
        return languages;
    }

    @Override
    public Seq2Seq network() {
        return network;
    }

    @Override
    public Model djlModel() {
        return model;
    }

    @Override
    public NDManager manager() {
        return model.getNDManager();
    }

    @Override
    public ParameterStore parameterStore() {
        return new ParameterStore(model.getNDManager(), false);
    }

    @Override
    public void close() {
        model.close();
    }
}
