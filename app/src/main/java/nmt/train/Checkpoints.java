package nmt.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import nmt.InputError;
import nmt.modeldir.ModelDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable training states in {@code MODEL_DIR/checkpoints/update-NNNNNNNN/}: the parameters,
 * Adam's moments and the run's counters. Each is written into a hidden folder that is renamed into
 * place when complete, so a run killed at any moment leaves only complete checkpoints behind; the
 * newest N are kept.
 */
public final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    public static final String FOLDER = "checkpoints";
    static final String STATE = "state.json";
    static final String OPTIMIZER = "optimizer.ndlist";
    private static final String PREFIX = "update-";
    private static final String PARTIAL = ".partial-";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The counters of a run when its checkpoint was taken.
     *
     * @param batchesDone batches of the current epoch already consumed (updated or skipped)
     * @param bestBleu    the best dev BLEU so far, null before the first validation
     * @param seconds     training time so far, validations included (null in checkpoints that predate it)
     */
    public record State(int update, int epoch, int batchesDone, Double bestBleu, int validationsWithoutGain,
                        ScheduleState schedule, Double seconds) {
    }

    /**
     * The schedule's part: the plateau rate, the best dev score again (null before the first
     * validation) and the validations since it or the last cut, in the layout earlier checkpoints have.
     */
    public record ScheduleState(float current, Double best, int bad) {
    }

    private final Path root;
    private final int keep;

    public Checkpoints(Path modelDir, int keep) {
        this.root = modelDir.resolve(FOLDER);
        this.keep = keep;
    }

    public Path save(Model model, Optimizer optimizer, State state) throws IOException {
        Files.createDirectories(root);
        Path staging = Files.createTempDirectory(root, PARTIAL);
        model.save(staging, ModelDirectory.PARAMETERS_PREFIX);
        if (optimizer instanceof CheckpointableAdam adam) {
            Files.write(staging.resolve(OPTIMIZER), adam.state(model.getBlock().getParameters()).encode());
        }
        Files.writeString(staging.resolve(STATE), JSON.writeValueAsString(state));
        Path target = root.resolve(String.format("%s%08d", PREFIX, state.update()));
        deleteTree(target);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        prune();
        return target;
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Path> latest() throws IOException {
        return complete().stream().max(Comparator.naturalOrder());
    }

    public static State readState(Path checkpoint) {
        try {
            return JSON.readValue(checkpoint.resolve(STATE).toFile(), State.class);
        } catch (IOException e) {
            throw new InputError(checkpoint.resolve(STATE) + ": cannot read the checkpoint state (" + e.getMessage() + ")");
        }
    }

    /** Loads saved parameters (a checkpoint's or a model directory's) into the model's block. */
    public static void loadParameters(Path from, Model model) {
        try {
            model.load(from, ModelDirectory.PARAMETERS_PREFIX);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new InputError(from + ": parameters do not fit the model (" + e.getMessage() + ")");
        }
    }

    /** Gives the optimizer the moments saved with a checkpoint, when it keeps any. */
    public static void restoreOptimizer(Path checkpoint, Model model, Optimizer optimizer) {
        Path moments = checkpoint.resolve(OPTIMIZER);
        if (optimizer instanceof CheckpointableAdam adam) {
            try {
                adam.restore(NDList.decode(model.getNDManager(), Files.readAllBytes(moments)),
                        model.getBlock().getParameters());
            } catch (NoSuchFileException e) {
                LOG.warn("{} has no optimizer moments: Adam restarts them", checkpoint);
            } catch (IOException | IllegalStateException e) {
                throw new InputError(moments + ": cannot restore (" + e.getMessage() + ")");
            }
        }
    }

    private List<Path> complete() throws IOException {
        return complete(root);
    }

    /** The complete checkpoints in a checkpoints folder, oldest first. */
    static List<Path> complete(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .filter(p -> Files.isRegularFile(p.resolve(STATE))).sorted().toList();
        }
    }

    /** Drops all but the newest checkpoints, and folders a killed run left half written. */
    private void prune() throws IOException {
        List<Path> done = complete();
        for (Path old : done.subList(0, Math.max(0, done.size() - keep))) {
            deleteTree(old);
        }
        try (Stream<Path> entries = Files.list(root)) {
            for (Path partial : entries.filter(p -> p.getFileName().toString().startsWith(PARTIAL)).toList()) {
                deleteTree(partial);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
