package nmt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import nmt.InputError;
import nmt.Version;
import nmt.modeldir.ModelDirectory;
import nmt.modeldir.TranslationModel;
import nmt.onnx.OnnxExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Writes a trained model as ONNX graphs in a new model directory that every decoding command opens. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a trained model to ONNX (encoder and one decoder step) in a new model directory that "
                + "translate, evaluate-bleu, serve, benchmark and the Spark job decode with ONNX Runtime.")
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debug;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A directory written by train or average.")
    Path modelDir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx", description = "onnx (the only one).")
    String format;

    @Option(names = "--int8", description = "Int8 weights (one scale per output channel) for linear layers and "
            + "embeddings, activations quantized at run time; softmax and norms stay float32.")
    boolean int8;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The new model directory.")
    Path output;

    @Option(names = "--overwrite", description = "Replace a non-empty --output directory.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        if (!"onnx".equals(format)) {
            throw new ParameterException(spec.commandLine(), "--format must be onnx, got \"" + format + "\"");
        }
        if (output.toAbsolutePath().normalize().equals(modelDir.toAbsolutePath().normalize())) {
            throw new ParameterException(spec.commandLine(), "--output must differ from --model");
        }
        ModelDirectory from = ModelDirectory.open(modelDir);
        if (from.isExported()) {
            throw new InputError("model directory " + modelDir + " is already an export; export the trained "
                    + "directory it came from");
        }
        OnnxExport.Graphs graphs;
        try (TranslationModel model = ModelDirectory.load(modelDir)) {
            graphs = OnnxExport.export(model.network(), model.config().model(), model.config().decoding(),
                    model.languages().sourcePipeline().vocabulary().size(),
                    model.languages().targetPipeline().vocabulary().size(), int8, Version.writer());
            ModelDirectory to = ModelDirectory.create(output, overwrite);
            to.save(model.config(), model.languages(), Version.writer());
            to.saveExport(graphs, int8 ? "int8" : "fp32", modelDir, Version.writer());
        }
        List<String> sizes = new ArrayList<>();
        for (String file : OnnxExport.FILES) {
            sizes.add(file + " " + size(output.resolve(file)));
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "exported %s (%s) to %s: %s%n", modelDir, int8 ? "int8" : "fp32",
                output, String.join(", ", sizes));
        return 0;
    }

    private static String size(Path file) throws IOException {
        long bytes = Files.size(file);
        return bytes < 1e6 ? String.format(Locale.ROOT, "%.0f kB", bytes / 1e3)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
