package nmt.modeldir;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import nmt.InputError;
import nmt.config.Config;
import nmt.config.ConfigLoader;
import nmt.data.LanguagePair;
import nmt.data.TextFiles;
import nmt.engine.Engines;
import nmt.engine.OnnxSession;
import nmt.onnx.OnnxExport;

/**
 * What {@code train} writes and {@code translate} reads: the resolved config, the vocabularies
 * and the parameters. Every file is written under a temporary name and renamed into place, so a
 * killed run never leaves a half-written file behind.
 */
public final class ModelDirectory {
    public static final String CONFIG = "config.json";
    /** DJL names parameter files prefix-epoch.params; the epoch is always 0 here. */
    public static final String PARAMETERS_PREFIX = "nmt";
    public static final String PARAMETERS_FILE = "nmt-0000.params";
    /** The layout version of the directory, and which nmt wrote it. */
    public static final String FORMAT_FILE = "format.txt";
    public static final int FORMAT = 1;
    /** Marks a directory written by {@code nmt export}: its graphs run on the engine it names. */
    public static final String EXPORT_MANIFEST = "export.json";
    /** Where a run's training split is prepared unless data.prepared names another folder. */
    public static final String PREPARED = "prepared";

    private final Path dir;

    private ModelDirectory(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    /**
     * A directory for a new run; an existing non-empty one is only reused with {@code overwrite}. A
     * prepared corpus alone in it ({@value #PREPARED}, as {@code nmt prepare} leaves it, or what a killed
     * preparation left beside it) does not count.
     */
    public static ModelDirectory create(Path dir, boolean overwrite) {
        try {
            if (Files.isDirectory(dir) && !overwrite) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.anyMatch(p -> !p.getFileName().toString().startsWith(PREPARED))) {
                        throw new InputError("output directory " + dir
                                + " already exists and is not empty: pass --overwrite to replace it, or choose another");
                    }
                }
            }
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new InputError("output directory " + dir + " is a file");
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InputError("cannot create output directory " + dir + ": " + e.getMessage());
        }
        return new ModelDirectory(dir);
    }

    /** An existing model directory, trained or exported; names the first missing file. */
    public static ModelDirectory open(Path dir) {
        if (Files.isRegularFile(dir.resolve(EXPORT_MANIFEST))) {
            // weights.bin is not required: exports written before it hold their weights in the graphs.
            return open(dir, CONFIG, LanguagePair.SOURCE_VOCAB, LanguagePair.TARGET_VOCAB, OnnxExport.ENCODER,
                    OnnxExport.STEP);
        }
        return open(dir, CONFIG, LanguagePair.SOURCE_VOCAB, LanguagePair.TARGET_VOCAB, PARAMETERS_FILE);
    }

    /** The size on disk of what holds the network: the parameters, or an export's graphs. */
    public long networkBytes() throws IOException {
        List<String> files = isExported() ? OnnxExport.FILES : List.of(PARAMETERS_FILE);
        long bytes = 0;
        for (String name : files) {
            if (Files.exists(dir.resolve(name))) {
                bytes += Files.size(dir.resolve(name));
            }
        }
        return bytes;
    }

    /** Whether {@code nmt export} wrote this directory (its network is ONNX graphs, not parameters). */
    public boolean isExported() {
        return Files.isRegularFile(dir.resolve(EXPORT_MANIFEST));
    }

    /** The directory of an interrupted run: the best parameters may not have been written yet. */
    public static ModelDirectory openForResume(Path dir) {
        return open(dir, CONFIG, LanguagePair.SOURCE_VOCAB, LanguagePair.TARGET_VOCAB);
    }

    private static ModelDirectory open(Path dir, String... required) {
        if (!Files.isDirectory(dir)) {
            throw new InputError("model directory " + dir + " not found");
        }
        checkFormat(dir);
        for (String name : required) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new InputError("model directory " + dir + " is incomplete: " + name + " is missing");
            }
        }
        return new ModelDirectory(dir);
    }

    /** A directory without the file predates it and has this layout. */
    private static void checkFormat(Path dir) {
        Path file = dir.resolve(FORMAT_FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        List<String> lines = TextFiles.readLines(file);
        String writer = lines.size() > 1 ? lines.get(1) : "an unknown version";
        int format;
        try {
            format = Integer.parseInt(lines.isEmpty() ? "" : lines.get(0).strip());
        } catch (NumberFormatException e) {
            throw new InputError(file + ":1: expected the model format number");
        }
        if (format != FORMAT) {
            throw new InputError("model directory " + dir + " was written by " + writer + " in model format " + format
                    + "; this nmt reads format " + FORMAT);
        }
    }

    public Config config() {
        return ConfigLoader.load(dir.resolve(CONFIG));
    }

    /** The config with {@code overrides} ({@code key=value}, as {@code --set} takes them) applied and checked. */
    public Config config(List<String> overrides) {
        return ConfigLoader.load(dir.resolve(CONFIG), overrides);
    }

    /**
     * The one way to open models for translation: one directory gives its model, several an ensemble
     * of theirs (refused unless they share vocabularies and tokenization). {@code overrides} apply
     * to every directory's config.
     */
    public static TranslationModel load(List<Path> dirs, List<String> overrides) {
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("no model directory");
        }
        List<ModelDirectory> opened = dirs.stream().map(ModelDirectory::open).toList();
        List<Config> configs = opened.stream().map(d -> d.config(overrides)).toList();
        // Exported models alone search on the Java engine: the process never loads libtorch.
        boolean onJava = opened.stream().allMatch(ModelDirectory::isExported);
        int decodingThreads = Engines.decodingThreads();
        return opened.size() == 1 ? opened.get(0).loadModel(configs.get(0), decodingThreads, onJava)
                : TrainedEnsemble.load(opened, configs, decodingThreads, onJava);
    }

    /**
     * This directory's model with {@code config}: its parameters in PyTorch, or its graphs in ONNX
     * Runtime with {@code decoding.onnx_threads} threads per operator ({@code decodingThreads} when 0),
     * the search's arrays on the Java engine when {@code onJava} (every model of the load is
     * exported) and in PyTorch otherwise.
     */
    TranslationModel loadModel(Config config, int decodingThreads, boolean onJava) {
        if (isExported()) {
            int threads = config.decoding().onnxThreads();
            return ExportedModel.load(this, config, new OnnxSession.Threads(threads > 0 ? threads : decodingThreads,
                    config.decoding().onnxInterOpThreads()), onJava);
        }
        return TrainedModel.load(this, config);
    }

    /**
     * What {@link #load} checks, without loading any parameters: every directory is complete, its
     * config with {@code overrides} is valid, its vocabularies read, and together they can form an
     * ensemble. For a driver that checks before its workers load.
     */
    public static void check(List<Path> dirs, List<String> overrides) {
        List<ModelDirectory> opened = dirs.stream().map(ModelDirectory::open).toList();
        List<Config> configs = opened.stream().map(d -> d.config(overrides)).toList();
        for (int i = 0; i < opened.size(); i++) {
            opened.get(i).languages(configs.get(i));
        }
        TrainedEnsemble.checkCompatible(opened, configs);
    }

    /** One directory's model, as its config says. */
    public static TranslationModel load(Path dir) {
        return load(List.of(dir), List.of());
    }

    public LanguagePair languages(Config config) {
        return LanguagePair.load(config.data(), dir);
    }

    /** @param writer this tool and its version, recorded with the format */
    public void save(Config config, LanguagePair languages, String writer) throws IOException {
        writeAtomically(FORMAT_FILE, FORMAT + "\n" + writer + "\n");
        writeAtomically(CONFIG, ConfigLoader.toJson(config));
        publish(".vocab", languages::save);
    }

    /**
     * Writes what {@code nmt export} makes of a model: its graphs and a manifest naming the engine
     * and precision (the config and vocabularies go through {@link #save}).
     */
    public void saveExport(OnnxExport.Graphs graphs, String precision, Path exportedFrom, String writer)
            throws IOException {
        for (Map.Entry<String, byte[]> file : graphs.files().entrySet()) {
            writeAtomically(file.getKey(), file.getValue());
        }
        Map<String, String> manifest = new LinkedHashMap<>();
        manifest.put("engine", "onnxruntime");
        manifest.put("precision", precision);
        manifest.put("exported_from", exportedFrom.toString());
        manifest.put("writer", writer);
        writeAtomically(EXPORT_MANIFEST, new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(manifest) + "\n");
    }

    /** Saves the parameters with DJL's Model.save into a staging folder, then renames them into place. */
    public void saveParameters(Model model) throws IOException {
        publish(".params", staging -> {
            model.save(staging, PARAMETERS_PREFIX);
            return List.of(PARAMETERS_FILE);
        });
    }

    /** Writes files into a fresh staging folder inside the directory, then renames each named file into place. */
    private void publish(String prefix, Staged write) throws IOException {
        Path staging = Files.createTempDirectory(dir, prefix);
        try {
            for (String name : write.into(staging)) {
                move(staging.resolve(name), dir.resolve(name));
            }
        } finally {
            try (Stream<Path> left = Files.list(staging)) {
                for (Path p : left.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(staging);
        }
    }

    private interface Staged {
        /** Writes into the folder and returns the names of the files to keep. */
        List<String> into(Path staging) throws IOException;
    }

    private boolean hasParameters() {
        return Files.isRegularFile(dir.resolve(PARAMETERS_FILE));
    }

    /** Loads the saved parameters into the model's block. */
    public void loadParameters(Model model) {
        if (!hasParameters()) {
            throw new InputError("model directory " + dir + " is incomplete: " + PARAMETERS_FILE + " is missing");
        }
        try {
            model.load(dir, PARAMETERS_PREFIX);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new InputError(dir.resolve(PARAMETERS_FILE) + ": parameters do not fit the model described by "
                    + CONFIG + " (" + e.getMessage() + ")");
        }
    }

    private void writeAtomically(String name, String content) throws IOException {
        writeAtomically(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private void writeAtomically(String name, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
        Files.write(tmp, content);
        move(tmp, dir.resolve(name));
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
