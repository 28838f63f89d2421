package nmt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import nmt.bench.Benchmark;
import nmt.config.Config;
import nmt.config.ConfigLoader;
import nmt.data.TrainingData;
import nmt.model.ModelDirectory;
import nmt.model.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints what a configured model costs to train and to run on this machine. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Training and decoding speed, memory and FLOP figures for a config's model on its corpus.")
public final class BenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debug;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The model and corpus to measure (default: the --model directory's config).")
    Path configFile;

    @Option(names = "--model", paramLabel = "DIR",
            description = "A trained model to measure decoding with (default: a freshly initialised one).")
    Path modelDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--warmup", defaultValue = "10", description = "Updates before timing (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--updates", defaultValue = "50", description = "Timed updates (default ${DEFAULT-VALUE}).")
    int updates;

    @Option(names = "--sentences", defaultValue = "500",
            description = "Dev sentences decoded (default ${DEFAULT-VALUE}).")
    int sentences;

    @Option(names = "--lengths", split = ",", defaultValue = "10,20,30,40,50",
            description = "Output lengths timed with forced decoding (default ${DEFAULT-VALUE}).")
    int[] lengths;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (configFile == null && modelDir == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--config or --model is needed");
        }
        ModelDirectory dir = modelDir == null ? null : ModelDirectory.open(modelDir);
        Config config = ConfigLoader.load(configFile != null ? configFile : dir.path().resolve(ModelDirectory.CONFIG),
                overrides);
        TrainingData data = TrainingData.prepare(config.data());
        Map<String, Object> result;
        try (TrainedModel trained = dir == null ? null : TrainedModel.load(dir, dir.config())) {
            result = new Benchmark(config, data, new Benchmark.Options(warmup, updates, sentences, lengths, trained))
                    .run();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            Benchmark.table(result).forEach(out::println);
        }
        out.flush();
        return 0;
    }
}
