package nmt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import nmt.config.Config;
import nmt.config.ConfigLoader;
import nmt.data.TrainingData;
import nmt.model.ModelDirectory;
import nmt.train.TrainingRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Trains a model described by a JSON config into its output directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model from a JSON config; the model directory is what translate reads.")
public final class TrainCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debug;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The run's JSON config (see README).")
    Path configFile;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Overrides output_dir of the config.")
    Path outputDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Overrides one config key, e.g. --set training.epochs=3 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--overwrite", description = "Replace an existing, non-empty output directory.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        Config config = ConfigLoader.load(configFile, overrides);
        if (outputDir != null) {
            config = config.withOutputDir(outputDir.toString());
        }
        ModelDirectory dir = ModelDirectory.create(Path.of(config.outputDir()), overwrite);
        TrainingData data = TrainingData.prepare(config.data());
        LOG.info("train {}: {} pairs ({} skipped with an empty side, {} longer than {} tokens)",
                data.train().name(), data.train().size(), data.skippedEmpty(), data.skippedLong(),
                config.data().maxLength());
        LOG.info("dev {}: {} pairs; test: {}", data.dev().name(), data.dev().size(),
                data.test() == null ? "none" : data.test().name() + ", " + data.test().size() + " pairs");
        LOG.info("vocabularies: {} {} tokens, {} {} tokens", config.data().src(),
                data.languages().source().vocabulary().size(), config.data().trg(),
                data.languages().target().vocabulary().size());
        dir.save(config, data.languages());
        TrainingRun.Summary summary = new TrainingRun(config, data, dir, Version.signatureTag()).run();
        LOG.info(String.format("trained %d updates in %d epochs, %.0f s; best dev BLEU %.2f; model in %s",
                summary.updates(), summary.epochs(), summary.seconds(), summary.bestDevBleu(), dir.path()));
        PrintWriter out = spec.commandLine().getOut();
        if (summary.test() != null) {
            out.println("test " + data.test().name() + ":");
            summary.test().translation().report().forEach(out::println);
        }
        out.flush();
        return 0;
    }
}
