package nmt.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import nmt.InputError;
import nmt.decode.Translator;
import nmt.engine.Engines;
import nmt.modeldir.ModelDirectory;
import nmt.modeldir.TranslationModel;
import org.apache.spark.SparkFiles;

/**
 * The models of this JVM: each executor loads a model once, the first time one of its tasks needs
 * it, and keeps it until the JVM exits; tasks running side by side share it.
 */
final class ExecutorModels {
    /** A loaded model (or ensemble) and the translator over it. */
    record Loaded(TranslationModel model, Translator translator) {
    }

    private static final Map<JobSettings, Loaded> LOADED = new ConcurrentHashMap<>();

    private ExecutorModels() {
    }

    static Loaded get(JobSettings settings) {
        return LOADED.computeIfAbsent(settings, ExecutorModels::load);
    }

    private static Loaded load(JobSettings settings) {
        Engines.configureOffline();
        TranslationModel model = ModelDirectory.load(settings.models().stream().map(ExecutorModels::locate).toList(),
                settings.overrides());
        Runtime.getRuntime().addShutdownHook(new Thread(model::close));
        return new Loaded(model, Translator.of(model));
    }

    /**
     * Where the model directory is on this machine: the path itself (a shared file system), or
     * what spark-submit shipped: {@code --archives model.zip#NAME} unpacks into the task's working
     * directory, {@code --files} puts the files in SparkFiles' root.
     */
    static Path locate(String model) {
        Path given = Path.of(model);
        if (Files.isDirectory(given)) {
            return given;
        }
        Path name = given.getFileName();
        Path shipped = Path.of(SparkFiles.getRootDirectory());
        for (Path candidate : new Path[] {Path.of(name.toString()), shipped.resolve(name.toString()), shipped}) {
            if (Files.isRegularFile(candidate.resolve(ModelDirectory.CONFIG))) {
                return candidate;
            }
        }
        throw new InputError("model directory " + model + " is not on this machine: put it on a path every executor "
                + "reads, or ship it with spark-submit --archives model.zip#" + name + " (or --files)");
    }
}
