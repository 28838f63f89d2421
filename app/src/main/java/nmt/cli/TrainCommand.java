package nmt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import nmt.InputError;
import nmt.Version;
import nmt.config.Config;
import nmt.config.ConfigLoader;
import nmt.data.LanguagePair;
import nmt.data.TrainingData;
import nmt.modeldir.ModelDirectory;
import nmt.train.Checkpoints;
import nmt.train.FineTuning;
import nmt.train.TrainingRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Trains a model described by a JSON config into its output directory, or resumes such a run. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model from a JSON config; the model directory is what translate reads. "
                + "--resume DIR continues an interrupted run from its latest checkpoint.")
public final class TrainCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debug;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "The run's JSON config (see README); not with --resume.")
    Path configFile;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in this model directory from its latest checkpoint, with its config.")
    Path resume;

    @Option(names = "--init-from", paramLabel = "DIR",
            description = "Start from this trained model's weights, vocabularies and subwords (fine-tuning); the "
                    + "config's model section and text processing must match the model's.")
    Path initFrom;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Overrides output_dir of the config.")
    Path outputDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Overrides one config key, e.g. --set training.epochs=3 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--overwrite", description = "Replace an existing, non-empty output directory.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if ((configFile == null) == (resume == null)) {
            throw new ParameterException(spec.commandLine(), "give a CONFIG file, or --resume DIR (not both)");
        }
        if (resume != null && (initFrom != null || outputDir != null || overwrite)) {
            throw new ParameterException(spec.commandLine(),
                    "--resume continues in DIR: --init-from, --output-dir and --overwrite do not apply");
        }
        ModelDirectory dir;
        Config config;
        TrainingData data;
        Path checkpoint = null;
        Path weights = null;
        if (resume != null) {
            dir = ModelDirectory.openForResume(resume);
            config = dir.config(overrides);
            checkpoint = new Checkpoints(resume, config.training().keepCheckpoints()).latest()
                    .orElseThrow(() -> new InputError("nothing to resume in " + resume + ": no checkpoint in "
                            + resume.resolve(Checkpoints.FOLDER) + " (one is written every training.checkpoint_freq "
                            + "updates)"));
            data = TrainingData.prepare(config.data(), PrepareCommand.preparedDir(config, resume), dir.languages(config));
        } else {
            config = ConfigLoader.load(configFile, overrides);
            if (outputDir != null) {
                config = config.withOutputDir(outputDir.toString());
            }
            LanguagePair fixed = null;
            if (initFrom != null) {
                ModelDirectory init = ModelDirectory.open(initFrom);
                Config initConfig = init.config();
                FineTuning.checkCompatible(config, initConfig, initFrom);
                fixed = init.languages(initConfig);
                weights = initFrom;
            }
            dir = ModelDirectory.create(Path.of(config.outputDir()), overwrite);
            data = TrainingData.prepare(config.data(), PrepareCommand.preparedDir(config, dir.path()), fixed);
        }
        LOG.info("train {}: {} pairs ({} skipped with an empty side, {} longer than {} tokens), prepared in {}",
                config.data().train(), data.train().size(), data.train().stats().skippedEmpty(),
                data.train().stats().skippedLong(), config.data().maxLength(), data.train().path());
        LOG.info("dev {}: {} pairs; test: {}", data.dev().name(), data.dev().size(),
                data.test() == null ? "none" : data.test().name() + ", " + data.test().size() + " pairs");
        LOG.info("vocabularies: {} {} tokens, {} {} tokens", config.data().src(),
                data.languages().sourcePipeline().vocabulary().size(), config.data().trg(),
                data.languages().targetPipeline().vocabulary().size());
        if (resume == null) {
            dir.save(config, data.languages(), Version.writer());
        }
        TrainingRun.Summary summary;
        try (TrainingData reading = data) {
            summary = new TrainingRun(config, reading, dir, Version.signatureTag(), checkpoint, weights).run();
        }
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
