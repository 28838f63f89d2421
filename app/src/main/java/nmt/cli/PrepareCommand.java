package nmt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import nmt.config.Config;
import nmt.config.ConfigLoader;
import nmt.data.CorpusPreparation;
import nmt.data.PreparedCorpus;
import nmt.modeldir.ModelDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prepares a config's training split once: merges, vocabularies and token files that train reads by index. */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = "Learn BPE merges and vocabularies from a config's training split and encode it into "
                + "token files that train reads (and reuses while the recipe matches).")
public final class PrepareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debug;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The run's JSON config.")
    Path configFile;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Where to write it (default: data.prepared, else prepared/ in the config's output_dir); "
                    + "train finds it there, or with --set data.prepared=DIR.")
    Path output;

    @Option(names = "--threads", paramLabel = "N", description = "Encoding threads (default: every core).")
    Integer threads;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1");
        }
        Config config = ConfigLoader.load(configFile, overrides);
        Path dir = output != null ? output : preparedDir(config, Path.of(config.outputDir()));
        PreparedCorpus corpus = CorpusPreparation.prepare(config.data(), dir, null,
                threads != null ? threads : Runtime.getRuntime().availableProcessors());
        PreparedCorpus.Stats stats = corpus.stats();
        PrintWriter out = spec.commandLine().getOut();
        out.println(String.format(Locale.ROOT, "%s: %,d pairs of %,d (%,d with an empty side, %,d longer than %d "
                        + "tokens), %,d tokens, vocabularies %,d / %,d", dir, corpus.size(), stats.inputPairs(),
                stats.skippedEmpty(), stats.skippedLong(), config.data().maxLength(), stats.tokens(),
                corpus.languages().sourcePipeline().vocabulary().size(), corpus.languages().targetPipeline().vocabulary().size()));
        if (output != null && !output.equals(preparedDir(config, Path.of(config.outputDir())))) {
            out.println("train with it: nmt train " + configFile + " --set data.prepared=" + output);
        }
        out.flush();
        return 0;
    }

    /** Where a run's prepared training split lives: data.prepared, else a folder in the model directory. */
    static Path preparedDir(Config config, Path modelDir) {
        return config.data().prepared() != null ? Path.of(config.data().prepared())
                : modelDir.resolve(ModelDirectory.PREPARED);
    }
}
