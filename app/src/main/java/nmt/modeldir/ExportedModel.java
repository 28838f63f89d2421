package nmt.modeldir;

import ai.djl.Device;
import ai.djl.Model;
import nmt.config.Config;
import nmt.data.LanguagePair;
import nmt.engine.Engines;
import nmt.engine.JavaEngine;
import nmt.engine.OnnxSession;
import nmt.onnx.OnnxExport;
import nmt.onnx.OnnxSeq2Seq;

/**
 * A model directory written by {@code nmt export}, decoding on ONNX Runtime. The network's work runs
 * in the graphs; the search keeps its arrays (scores, beams, caches) on the Java engine, or in
 * PyTorch on the CPU when the model shares a search with trained ones.
 */
final class ExportedModel extends LoadedModel {
    private final OnnxSeq2Seq network;

    private ExportedModel(Config config, LanguagePair languages, OnnxSeq2Seq network, Model model) {
        super(config, languages, network, model);
        this.network = network;
    }

    static ExportedModel load(ModelDirectory dir, Config config, OnnxSession.Threads threads, boolean onJava) {
        LanguagePair languages = dir.languages(config);
        OnnxSeq2Seq network = OnnxExport.load(dir.path(), threads);
        try {
            Model model = onJava ? JavaEngine.INSTANCE.newModel("nmt", Device.cpu())
                    : Model.newInstance("nmt", Engines.device("cpu"), "PyTorch");
            model.setBlock(network);
            return new ExportedModel(config, languages, network, model);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            network.close();
        } finally {
            super.close();
        }
    }
}
