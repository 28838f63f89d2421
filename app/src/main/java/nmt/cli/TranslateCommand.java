package nmt.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import nmt.InputError;
import nmt.config.Config;
import nmt.config.DecodingOverrides;
import nmt.data.LineReader;
import nmt.data.TextFiles;
import nmt.decode.AttentionHeatmap;
import nmt.decode.Chunks;
import nmt.decode.Hypothesis;
import nmt.decode.Translated;
import nmt.decode.Translator;
import nmt.modeldir.ModelDirectory;
import nmt.modeldir.TranslationModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Translates text with a trained model, one output line per input line. Input is read as it
 * arrives: lines already available are decoded together (sorted into batches by length), and a
 * line typed at a terminal is answered at once.
 */
@Command(name = "translate", mixinStandardHelpOptions = true,
        description = "Translate lines from stdin (or --input) to stdout (or --output) with a trained model; "
                + "each input line gives --nbest output lines, an empty line an empty one.")
public final class TranslateCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TranslateCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debug;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A directory written by train; repeat it to decode with an ensemble of models that share "
                    + "their vocabularies (the mean of their log-probabilities).")
    List<Path> modelDirs;

    @Option(names = "--input", paramLabel = "FILE", description = "Source sentences, one per line (default: stdin).")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Where translations go (default: stdout).")
    Path output;

    @Option(names = "--nbest", paramLabel = "N", defaultValue = "1",
            description = "Write the N best translations of each line, best first (default ${DEFAULT-VALUE}).")
    int nbest;

    @Option(names = "--scores", description = "Prefix each translation with its score and a tab.")
    boolean scores;

    @Option(names = "--attention-plot", paramLabel = "DIR",
            description = "Write a PNG heatmap of the best translation's attention per input line, DIR/line-N.png. "
                    + "For a Transformer, --set decoding.attention_layer=L / attention_head=H choose what is shown "
                    + "(default: last layer, heads averaged).")
    Path attentionPlot;

    @Mixin
    DecodingOptions decoding;

    @Override
    public Integer call() throws IOException {
        DecodingOverrides overrides = decoding.overrides();
        Config config = ModelDirectory.open(modelDirs.get(0)).config(overrides.asSettings());
        if (nbest < 1 || nbest > config.decoding().beamSize()) {
            throw new ParameterException(spec.commandLine(),
                    "--nbest must be between 1 and the beam size " + config.decoding().beamSize() + ", got " + nbest);
        }
        if (attentionPlot != null) {
            try {
                Files.createDirectories(attentionPlot);
            } catch (IOException e) {
                throw new InputError(attentionPlot + ": cannot create the plot directory (" + e.getMessage() + ")");
            }
        }
        try (LineReader reader = input == null ? new LineReader(System.in, "standard input") : TextFiles.reader(input);
             TranslationModel model = ModelDirectory.load(modelDirs, overrides.asSettings());
             Writer out = output == null ? new NonClosing(spec.commandLine().getOut())
                     : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            Translator translator = Translator.of(model);
            Chunks<String> chunks = new Chunks<>(reader.lines(), translator.chunkSize(), () -> !ready(reader));
            int firstLine = 1;
            while (chunks.hasNext()) {
                List<String> chunk = chunks.next();
                write(translator, chunk, firstLine, out);
                firstLine += chunk.size();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return 0;
    }

    private static boolean ready(LineReader reader) {
        try {
            return reader.ready();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Translator translator, List<String> lines, int firstLine, Writer out) throws IOException {
        List<Translated> results = translator.search(lines, nbest);
        for (int k = 0; k < lines.size(); k++) {
            Translated result = results.get(k);
            int line = firstLine + k;
            if (result.truncated()) {
                LOG.warn("input line {} has {} tokens; only the first {} are translated", line, result.sourceTokens(),
                        result.readTokens());
            }
            List<Hypothesis> found = result.nbest();
            for (int i = 0; i < nbest; i++) {
                Hypothesis h = i < found.size() ? found.get(i) : null;
                if (scores) {
                    out.write(String.format(Locale.ROOT, "%.4f\t", h == null ? 0.0 : h.score()));
                }
                out.write(h == null ? "" : translator.detokenize(h));
                out.write('\n');
            }
            Hypothesis best = result.best();
            if (attentionPlot != null && best != null && best.ids().length > 0) {
                try {
                    AttentionHeatmap.write(attentionPlot.resolve(String.format(Locale.ROOT, "line-%d.png", line)),
                            translator.sourceLabels(lines.get(k)), translator.outputLabels(best), best.attention(),
                            "line " + line + ": " + translator.detokenize(best));
                } catch (IOException e) {
                    throw new InputError(e.getMessage());
                }
            }
        }
        out.flush();
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
