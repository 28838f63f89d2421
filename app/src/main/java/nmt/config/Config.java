package nmt.config;

import java.util.List;

/**
 * One training run, as read from its JSON file: every key has a documented default except the
 * data paths, the languages and the model type.
 *
 * @param outputDir where the trained model goes (default "models/run")
 * @param device    "auto" (default), "cpu" or "gpu"
 */
public record Config(DataConfig data, ModelConfig model, TrainingConfig training, DecodingConfig decoding,
                     String outputDir, String device) {
    public static final List<String> DEVICES = List.of("auto", "cpu", "gpu");

    public Config {
        training = training == null ? TrainingConfig.defaults() : training;
        decoding = decoding == null ? DecodingConfig.defaults() : decoding;
        outputDir = outputDir == null ? "models/run" : outputDir;
        device = device == null ? "auto" : device;
    }

    /** Throws an {@link nmt.InputError} naming the first key whose value is missing or out of range. */
    public Config validate() {
        Check.required(data, "data");
        Check.required(model, "model");
        data.validate("data");
        model.validate("model");
        training.validate("training");
        decoding.validate("decoding");
        Check.oneOf(device, DEVICES, "device");
        if (model.sharedEmbeddings() && !data.jointVocab()) {
            throw new nmt.InputError("model.shared_embeddings needs data.joint_vocab: true");
        }
        if (decoding.attentionLayer() >= model.layers()) {
            throw new nmt.InputError("decoding.attention_layer must be below model.layers " + model.layers()
                    + " (or -1 for the last), got " + decoding.attentionLayer());
        }
        if ("transformer".equals(model.type()) && decoding.attentionHead() >= model.heads()) {
            throw new nmt.InputError("decoding.attention_head must be below model.heads " + model.heads()
                    + " (or -1 for their average), got " + decoding.attentionHead());
        }
        return this;
    }

    public Config withOutputDir(String dir) {
        return new Config(data, model, training, decoding, dir, device);
    }
}
