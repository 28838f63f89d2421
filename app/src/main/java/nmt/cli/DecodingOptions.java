package nmt.cli;

import java.util.ArrayList;
import java.util.List;
import nmt.config.Config;
import nmt.config.ConfigLoader;
import nmt.model.ModelDirectory;
import picocli.CommandLine.Option;

/** The options of every command that decodes with a trained model; they override its config. */
public final class DecodingOptions {
    @Option(names = "--beam", paramLabel = "K", description = "Beam size; 1 is greedy (default: the model's decoding.beam_size).")
    Integer beam;

    @Option(names = "--batch-size", paramLabel = "B", description = "Sentences decoded together.")
    Integer batchSize;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Overrides a key of the model's config for this run, e.g. --set decoding.length_penalty=0.6.")
    List<String> overrides = new ArrayList<>();

    boolean given() {
        return beam != null || batchSize != null || !overrides.isEmpty();
    }

    /** The model directory's config with these options applied and checked. */
    Config config(ModelDirectory dir) {
        return config(dir, List.of());
    }

    /** The same, over {@code defaults}: settings of the command that these options may override. */
    Config config(ModelDirectory dir, List<String> defaults) {
        List<String> settings = new ArrayList<>(defaults);
        settings.addAll(overrides);
        if (beam != null) {
            settings.add("decoding.beam_size=" + beam);
        }
        if (batchSize != null) {
            settings.add("decoding.batch_size=" + batchSize);
        }
        return ConfigLoader.load(dir.path().resolve(ModelDirectory.CONFIG), settings);
    }
}
