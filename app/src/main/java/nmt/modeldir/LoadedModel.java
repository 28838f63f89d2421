package nmt.modeldir;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import nmt.config.Config;
import nmt.data.LanguagePair;
import nmt.model.Seq2Seq;

/** One model directory loaded for decoding: its config, vocabularies and network, in a DJL model. */
abstract class LoadedModel implements TranslationModel {
    private final Config config;
    private final LanguagePair languages;
    private final Seq2Seq network;
    private final Model model;

    LoadedModel(Config config, LanguagePair languages, Seq2Seq network, Model model) {
        this.config = config;
        this.languages = languages;
        this.network = network;
        this.model = model;
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
