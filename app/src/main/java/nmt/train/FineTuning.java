package nmt.train;

import java.nio.file.Path;
import java.util.Objects;
import nmt.InputError;
import nmt.config.Config;
import nmt.config.DataConfig;

/** What a fine-tuning run must share with the model it starts from. */
public final class FineTuning {
    private FineTuning() {
    }

    /**
     * The new run keeps the trained model's architecture and turns text into the same tokens; its
     * corpus, training and decoding settings are its own.
     */
    public static void checkCompatible(Config config, Config trained, Path trainedDir) {
        if (!config.model().equals(trained.model())) {
            throw new InputError("--init-from " + trainedDir + ": the config's model section differs from the "
                    + "model's (" + trainedDir.resolve("config.json") + "); fine-tuning keeps the architecture");
        }
        DataConfig a = config.data();
        DataConfig b = trained.data();
        same("data.src", a.src(), b.src(), trainedDir);
        same("data.trg", a.trg(), b.trg(), trainedDir);
        same("data.lowercase", a.lowercase(), b.lowercase(), trainedDir);
        same("data.normalization", a.normalization(), b.normalization(), trainedDir);
        same("data.src_tokenizer", a.srcTokenizer(), b.srcTokenizer(), trainedDir);
        same("data.trg_tokenizer", a.trgTokenizer(), b.trgTokenizer(), trainedDir);
        same("data.joint_vocab", a.jointVocab(), b.jointVocab(), trainedDir);
    }

    private static void same(String key, Object value, Object trained, Path trainedDir) {
        if (!Objects.equals(value, trained)) {
            throw new InputError("--init-from " + trainedDir + ": " + key + " is " + value + " here but " + trained
                    + " in the model; fine-tuning reuses its vocabularies and subwords");
        }
    }
}
