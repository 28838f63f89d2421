package nmt.modeldir;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import nmt.config.Config;
import nmt.data.LanguagePair;
import nmt.engine.Engines;
import nmt.engine.OnnxSession;
import nmt.onnx.OnnxExport;
import nmt.onnx.OnnxSeq2Seq;

/**
 * A model directory written by {@code nmt export}, decoding on ONNX Runtime. The search still keeps
 * its small arrays (scores, beams) in PyTorch on the CPU; the network's work runs in the graphs.
 */
final class ExportedModel implements TranslationModel {
    private final Config config;
    private final LanguagePair languages;
    private final OnnxSeq2Seq network;
    private final Model model;

    private ExportedModel(Config config, LanguagePair languages, OnnxSeq2Seq network, Model model) {
        this.config = config;
        this.languages = languages;
        this.network = network;
        this.model = model;
    }

    static ExportedModel load(ModelDirectory dir, Config config, OnnxSession.Threads threads) {
        LanguagePair languages = dir.languages(config);
        OnnxSeq2Seq network = OnnxExport.load(dir.path(), threads);
        Model model = Model.newInstance("nmt", Engines.device("cpu"), "PyTorch");
        model.setBlock(network);
        return new ExportedModel(config, languages, network, model);
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
    public OnnxSeq2Seq network() {
        return network;
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
    public Model djlModel() {
        return model;
    }

    @Override
    public void close() {
        network.close();
        model.close();
    }
}
