package nmt.modeldir;

import ai.djl.Device;
import ai.djl.Model;
import nmt.config.Config;
import nmt.data.LanguagePair;
import nmt.engine.Engines;
import nmt.model.ModelFactory;
import nmt.model.Seq2Seq;

/** One model directory loaded for inference: config, vocabularies and parameters on the chosen device. */
final class TrainedModel extends LoadedModel {
    private TrainedModel(Config config, LanguagePair languages, Seq2Seq network, Model model) {
        super(config, languages, network, model);
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
}
