package nmt.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import nmt.Version;
import nmt.config.Config;
import nmt.modeldir.ModelDirectory;
import nmt.train.CheckpointAverage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Averages a run's checkpoints into a new model directory. */
@Command(name = "average", mixinStandardHelpOptions = true,
        description = "Average the parameters of a model directory's checkpoints into a new model directory.")
public final class AverageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debug;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A directory written by train.")
    Path modelDir;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = "--last", paramLabel = "N", description = "The N newest checkpoints.")
        Integer last;

        @Option(names = "--best", paramLabel = "N",
                description = "The N kept checkpoints with the best dev BLEU (taken at a validation).")
        Integer best;
    }

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The new model directory.")
    Path output;

    @Option(names = "--overwrite", description = "Replace a non-empty --output directory.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        int n = which.last != null ? which.last : which.best;
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), "the number of checkpoints must be at least 1, got " + n);
        }
        if (output.toAbsolutePath().normalize().equals(modelDir.toAbsolutePath().normalize())) {
            throw new ParameterException(spec.commandLine(), "--output must differ from --model");
        }
        ModelDirectory from = ModelDirectory.openForResume(modelDir);
        Config config = from.config();
        List<Path> chosen = CheckpointAverage.choose(modelDir,
                which.last != null ? CheckpointAverage.Selection.LAST : CheckpointAverage.Selection.BEST, n);
        ModelDirectory to = ModelDirectory.create(output, overwrite);
        CheckpointAverage.write(from, config, chosen, to, Version.writer());
        spec.commandLine().getOut().println("averaged " + chosen.size() + " checkpoints ("
                + String.join(", ", chosen.stream().map(p -> p.getFileName().toString()).toList()) + ") into " + output);
        return 0;
    }
}
