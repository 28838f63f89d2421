package nmt.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nmt.InputError;
import nmt.config.Config;
import nmt.data.LanguagePair;
import nmt.model.ModelFactory;
import nmt.model.Seq2Seq;
import nmt.modeldir.ModelDirectory;

/**
 * Averages the parameters of a run's saved checkpoints into a new model directory (as fairseq's
 * and JoeyNMT's averaging scripts do): a cheap ensemble in the size of one model.
 */
public final class CheckpointAverage {

    private CheckpointAverage() {
    }

    /** Which checkpoints: the newest N, or the N with the best dev BLEU recorded for their update. */
    public enum Selection { LAST, BEST }

    /** The checkpoints chosen, oldest first. */
    public static List<Path> choose(Path modelDir, Selection selection, int n) {
        Path root = modelDir.resolve(Checkpoints.FOLDER);
        List<Path> candidates;
        try {
            candidates = new ArrayList<>(Checkpoints.complete(root));
        } catch (IOException e) {
            throw new InputError(root + ": cannot list the checkpoints (" + e.getMessage() + ")");
        }
        if (selection == Selection.BEST) {
            Map<Integer, Double> bleu = devBleu(modelDir.resolve(MetricsLog.FILE));
            // Each checkpoint's state is read once, not at every comparison.
            Map<Path, Double> scores = new HashMap<>();
            for (Path p : candidates) {
                Double score = bleu.get(Checkpoints.readState(p).update());
                if (score != null) {
                    scores.put(p, score);
                }
            }
            candidates.retainAll(scores.keySet());
            candidates.sort(Comparator.comparingDouble((Path p) -> scores.get(p)).reversed());
        } else {
            candidates.sort(Comparator.reverseOrder());
        }
        if (candidates.size() < n) {
            throw new InputError(root + " holds " + candidates.size() + (selection == Selection.BEST
                    ? " checkpoints taken at a validation" : " checkpoints") + ", fewer than the " + n
                    + " asked for; training.keep_checkpoints sets how many are kept");
        }
        List<Path> chosen = new ArrayList<>(candidates.subList(0, n));
        chosen.sort(Comparator.naturalOrder());
        return chosen;
    }

    /** Writes a model directory whose parameters are the mean of the checkpoints'. */
    public static void write(ModelDirectory from, Config config, List<Path> checkpoints, ModelDirectory to,
                             String writer) throws IOException {
        LanguagePair languages = from.languages(config);
        try (Model model = Model.newInstance("nmt", Device.cpu(), "PyTorch")) {
            Seq2Seq block = ModelFactory.create(config, languages.sourcePipeline().vocabulary().size(),
                    languages.targetPipeline().vocabulary().size());
            // Model.save describes the block's inputs, which only initialization records.
            block.initializeParameters(model.getNDManager());
            model.setBlock(block);
            Map<String, NDArray> sums = new HashMap<>();
            for (Path checkpoint : checkpoints) {
                Checkpoints.loadParameters(checkpoint, model);
                for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                    NDArray value = p.getValue().getArray();
                    NDArray sum = sums.get(p.getKey());
                    if (sum == null) {
                        sums.put(p.getKey(), value.duplicate());
                    } else {
                        sum.addi(value);
                    }
                }
            }
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                p.getValue().getArray().set(sums.get(p.getKey()).div(checkpoints.size()).toFloatArray());
            }
            to.save(config, languages, writer);
            to.saveParameters(model);
        }
    }

    private static Map<Integer, Double> devBleu(Path metrics) {
        Map<Integer, Double> bleu = new LinkedHashMap<>();
        try {
            for (MetricsLog.Validation v : MetricsLog.read(metrics)) {
                bleu.put(v.update(), v.devBleu());
            }
        } catch (IOException e) {
            throw new InputError(metrics + ": cannot read the validation scores (" + e.getMessage() + ")");
        }
        return bleu;
    }
}
