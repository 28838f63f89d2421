package nmt.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import nmt.InputError;
import nmt.bench.Benchmark;
import nmt.bench.LoadBenchmark;
import nmt.config.Config;
import nmt.config.ConfigLoader;
import nmt.data.CorpusReader;
import nmt.data.TextFiles;
import nmt.data.TrainingData;
import nmt.modeldir.ModelDirectory;
import nmt.modeldir.TranslationModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints what a configured model costs to train and to run on this machine. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Training and decoding speed, memory and FLOP figures for a config's model on its corpus; "
                + "with --serve, goodput and latency of a running server, and how it holds up under overload.")
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

    @Option(names = "--decode-only", description = "With --model: measure decoding alone (dev sentences/s greedy and "
            + "beam 5, single-sentence latency, peak RSS, the model's size on disk); nothing is trained.")
    boolean decodeOnly;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--serve", paramLabel = "URL",
            description = "Measure a running nmt serve instead (e.g. http://127.0.0.1:5000/): goodput and latency "
                    + "with --clients concurrent clients, each sending --sentences-per-request --input sentences "
                    + "per request.")
    URI serve;

    @Option(names = "--clients", split = ",", defaultValue = "1,8,32,64", paramLabel = "N",
            description = "With --serve: concurrent clients, one level each (default ${DEFAULT-VALUE}).")
    int[] clients;

    @Option(names = "--requests", defaultValue = "1000", paramLabel = "N",
            description = "With --serve: requests per level (default ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--sentences-per-request", defaultValue = "1", paramLabel = "K",
            description = "With --serve: sentences per request, sent as a JSON array when more than one "
                    + "(default ${DEFAULT-VALUE}).")
    int sentencesPerRequest;

    @Option(names = "--overload", paramLabel = "F",
            description = "With --serve: after the levels, F times the clients of the level with the best goodput "
                    + "(F > 1), in three turns with that best level again, compared with it.")
    Double overload;

    @Option(names = "--input", paramLabel = "FILE", description = "With --serve: sentences to send, one per line.")
    Path input;

    @Option(names = "--source", description = "With --serve: source language (default: the first served pair).")
    String source;

    @Option(names = "--target", description = "With --serve: target language.")
    String target;

    @Option(names = "--api-key", paramLabel = "KEY", description = "With --serve: the server's api_key.")
    String apiKey;

    @Override
    public Integer call() throws Exception {
        if (serve != null) {
            return print(new LoadBenchmark(loadOptions()).run());
        }
        if (configFile == null && modelDir == null) {
            throw new ParameterException(spec.commandLine(), "--config, --model or --serve is needed");
        }
        if (decodeOnly && modelDir == null) {
            throw new ParameterException(spec.commandLine(), "--decode-only needs --model DIR");
        }
        ModelDirectory dir = modelDir == null ? null : ModelDirectory.open(modelDir);
        Config config = configFile != null ? ConfigLoader.load(configFile, overrides) : dir.config(overrides);
        if (decodeOnly) {
            List<String> dev = CorpusReader.read(config.data().dev(), config.data().src(), config.data().trg()).source();
            Map<String, Object> result;
            try (TranslationModel model = ModelDirectory.load(List.of(dir.path()), overrides)) {
                result = Benchmark.decodeOnly(model, dev, sentences, lengths);
            }
            result.put("model_mb", dir.networkBytes() / 1e6);
            result.put("engine", dir.isExported() ? "onnxruntime" : "pytorch");
            return print(result);
        }
        // Without data.prepared the corpus is prepared in a scratch folder that goes when the benchmark ends.
        Path scratch = config.data().prepared() == null ? Files.createTempDirectory("nmt-benchmark-") : null;
        try {
            TrainingData data = TrainingData.prepare(config.data(), scratch == null ? Path.of(config.data().prepared())
                    : scratch.resolve(ModelDirectory.PREPARED), null);
            try (data; TranslationModel trained = dir == null ? null : ModelDirectory.load(dir.path())) {
                return print(new Benchmark(config, data, new Benchmark.Options(warmup, updates, sentences, lengths,
                        trained)).run());
            }
        } finally {
            if (scratch != null) {
                deleteTree(scratch);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> entries = Files.walk(root)) {
            for (Path p : entries.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private LoadBenchmark.Options loadOptions() {
        if (input == null) {
            throw new ParameterException(spec.commandLine(), "--serve needs --input FILE, the sentences to send");
        }
        if (requests < 1 || clients.length == 0 || Arrays.stream(clients).anyMatch(c -> c < 1)) {
            throw new ParameterException(spec.commandLine(), "--requests and every --clients value must be at least 1");
        }
        if (sentencesPerRequest < 1) {
            throw new ParameterException(spec.commandLine(), "--sentences-per-request must be at least 1");
        }
        if (overload != null && !(overload > 1 && Double.isFinite(overload))) {
            throw new ParameterException(spec.commandLine(),
                    "--overload must be a number above 1, a multiple of the best level's clients");
        }
        if ((source == null) != (target == null)) {
            throw new ParameterException(spec.commandLine(), "give both --source and --target, or neither");
        }
        List<String> sentences = TextFiles.readLines(input).stream().filter(l -> !l.isBlank()).toList();
        if (sentences.isEmpty()) {
            throw new InputError(input + ": no sentences");
        }
        String base = serve.toString().endsWith("/") ? serve.toString() : serve + "/";
        return new LoadBenchmark.Options(URI.create(base), source, target, apiKey, sentences, clients, requests,
                sentencesPerRequest, overload);
    }

    private int print(Map<String, Object> result) throws Exception {
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
