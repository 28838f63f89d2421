package nmt.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import nmt.config.Config;
import nmt.config.ConfigLoader;
import nmt.data.TextFiles;
import nmt.decode.Hypothesis;
import nmt.decode.Translator;
import nmt.model.ModelDirectory;
import nmt.model.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Translates text with a trained model, one output line per input line. */
@Command(name = "translate", mixinStandardHelpOptions = true,
        description = "Translate lines from stdin (or --input) to stdout (or --output) with a trained model; "
                + "each input line gives --nbest output lines, an empty line an empty one.")
public final class TranslateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debug;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A directory written by train.")
    Path modelDir;

    @Option(names = "--input", paramLabel = "FILE", description = "Source sentences, one per line (default: stdin).")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Where translations go (default: stdout).")
    Path output;

    @Option(names = "--beam", paramLabel = "K", description = "Beam size; 1 is greedy (default: the model's decoding.beam_size).")
    Integer beam;

    @Option(names = "--nbest", paramLabel = "N", defaultValue = "1",
            description = "Write the N best translations of each line, best first (default ${DEFAULT-VALUE}).")
    int nbest;

    @Option(names = "--scores", description = "Prefix each translation with its score and a tab.")
    boolean scores;

    @Option(names = "--batch-size", paramLabel = "B", description = "Sentences decoded together.")
    Integer batchSize;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Overrides a key of the model's config for this run, e.g. --set model.attention_mode=hard.")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ModelDirectory dir = ModelDirectory.open(modelDir);
        List<String> settings = new ArrayList<>(overrides);
        if (beam != null) {
            settings.add("decoding.beam_size=" + beam);
        }
        if (batchSize != null) {
            settings.add("decoding.batch_size=" + batchSize);
        }
        Config config = ConfigLoader.load(dir.path().resolve(ModelDirectory.CONFIG), settings);
        if (nbest < 1 || nbest > config.decoding().beamSize()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--nbest must be between 1 and the beam size " + config.decoding().beamSize() + ", got " + nbest);
        }
        List<String> lines = input == null ? readStdin() : TextFiles.readLines(input);
        try (TrainedModel model = TrainedModel.load(dir, config)) {
            Translator translator = new Translator(model.block(), model.languages(), config.decoding(),
                    config.data().maxLength());
            List<List<Hypothesis>> results = translator.search(lines, model.manager(), model.parameterStore(), nbest);
            try (Writer out = output == null ? new NonClosing(spec.commandLine().getOut())
                    : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                for (List<Hypothesis> found : results) {
                    for (int i = 0; i < nbest; i++) {
                        Hypothesis h = i < found.size() ? found.get(i) : null;
                        if (scores) {
                            out.write(String.format(Locale.ROOT, "%.4f\t", h == null ? 0.0 : h.score()));
                        }
                        out.write(h == null ? "" : translator.detokenize(h));
                        out.write('\n');
                    }
                }
            }
        }
        return 0;
    }

    private static List<String> readStdin() throws IOException {
        return TextFiles.decodeLines(System.in.readAllBytes(), "standard input");
    }

    /** Writes to the command's output stream without closing it. */
    private static final class NonClosing extends BufferedWriter {
        NonClosing(PrintWriter out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
