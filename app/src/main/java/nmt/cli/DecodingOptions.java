package nmt.cli;

import java.util.ArrayList;
import java.util.List;
import nmt.config.DecodingOverrides;
import picocli.CommandLine.Option;

/** The options of every command that decodes with a trained model; they override its config. */
public final class DecodingOptions {
    @Option(names = "--beam", paramLabel = "K", description = "Beam size; 1 is greedy (default: the model's decoding.beam_size).")
    Integer beam;

    @Option(names = "--batch-size", paramLabel = "B", description = "Sentences decoded together.")
    Integer batchSize;

    @Option(names = "--device", paramLabel = "DEVICE",
            description = "auto, cpu or gpu (default: the model's config); a model written on one device runs on any.")
    String device;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Overrides a key of the model's config for this run, e.g. --set decoding.length_penalty=0.6.")
    List<String> settings = new ArrayList<>();

    DecodingOverrides overrides() {
        return new DecodingOverrides(beam, batchSize, device, settings);
    }
}
