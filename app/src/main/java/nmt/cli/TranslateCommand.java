package nmt.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import nmt.InputError;
import nmt.config.Config;
import nmt.model.ModelDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Translates text with a trained model, one output line per input line. */
@Command(name = "translate", mixinStandardHelpOptions = true,
        description = "Translate lines from stdin (or --input) to stdout (or --output) with a trained model.")
public final class TranslateCommand implements Callable<Integer> {
    @Mixin
    DebugOption debug;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A directory written by train.")
    Path modelDir;

    @Option(names = "--input", paramLabel = "FILE", description = "Source sentences, one per line (default: stdin).")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Where translations go (default: stdout).")
    Path output;

    @Override
    public Integer call() throws Exception {
        ModelDirectory dir = ModelDirectory.open(modelDir);
        Config config = dir.config();
        dir.languages(config);
        throw new InputError(modelDir + ": model.type \"" + config.model().type() + "\" cannot be loaded by this version yet");
    }
}
