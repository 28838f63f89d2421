package nmt.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import nmt.InputError;
import nmt.config.Config;
import nmt.config.TrainingConfig;
import nmt.data.Batch;
import nmt.data.TokenBatcher;
import nmt.data.TrainingData;
import nmt.data.TrainingPairs;
import nmt.decode.Translator;
import nmt.engine.Engines;
import nmt.engine.MatmulPrecision;
import nmt.eval.Bleu;
import nmt.eval.BleuTokenizer;
import nmt.eval.ChrF;
import nmt.model.ModelFactory;
import nmt.model.Seq2Seq;
import nmt.modeldir.ModelDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop: token-bucketed batches, each forward/backward/update inside its own
 * NDManager; validation on dev every N updates (loss, perplexity, BLEU, chrF2); the best model by
 * dev BLEU saved to the model directory; resumable checkpoints; early stopping; the test set
 * scored at the end. A run may start from a checkpoint (resume) or from another model's weights
 * (fine-tuning).
 */
public final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
    public static final String TEST_HYPOTHESES = "test.hyp";

    private final Config config;
    private final TrainingData data;
    private final ModelDirectory dir;
    private final Bleu bleu;
    private final ChrF chrf;
    private final Path resumeFrom;
    private final Path initFrom;
    /** Cleared when the curves cannot be drawn (no fonts): training does not depend on them. */
    private boolean drawCurves = true;

    /** What a run achieved. */
    public record Summary(int updates, int epochs, double bestDevBleu, Evaluation.Result test, double seconds) {
    }

    /**
     * @param resumeFrom a checkpoint to continue from, or null
     * @param initFrom   a model directory whose weights start a new run, or null
     */
    public TrainingRun(Config config, TrainingData data, ModelDirectory dir, String version, Path resumeFrom,
                       Path initFrom) {
        this.config = config;
        this.data = data;
        this.dir = dir;
        this.resumeFrom = resumeFrom;
        this.initFrom = initFrom;
        this.bleu = new Bleu(BleuTokenizer.THIRTEEN_A, false, version);
        this.chrf = new ChrF(false, version);
    }

    public Summary run() throws IOException {
        TrainingConfig tc = config.training();
        Engine engine = Engines.pytorch();
        Device device = Engines.device(config.device());
        LOG.info("engine {} {}, device {}", engine.getEngineName(), engine.getVersion(), device);
        MatmulPrecision.configure(config.training().matmulPrecision());
        engine.setRandomSeed(tc.seed().intValue());
        Seq2Seq block = ModelFactory.create(config,
                data.languages().sourcePipeline().vocabulary().size(), data.languages().targetPipeline().vocabulary().size());
        Schedule schedule = new Schedule(tc, config.model().hiddenSize());
        Checkpoints.State resumed = resumeFrom == null ? null : Checkpoints.readState(resumeFrom);
        if (resumed != null) {
            schedule.restore(resumed.schedule().current());
        }
        Optimizer optimizer = Optimizers.create(tc, schedule, resumed == null ? 0 : resumed.update());
        try (Model model = Model.newInstance("nmt", device, "PyTorch")) {
            try (Trainer trainer = Trainers.create(model, block, config, optimizer, device,
                    resumed != null ? resumeFrom : initFrom)) {
                LOG.info("model {}: {} parameters", config.model().type(), countParameters(block));
                if (initFrom != null) {
                    LOG.info("weights from {}; optimizer and schedule start afresh", initFrom);
                }
                if (resumed != null) {
                    Checkpoints.restoreOptimizer(resumeFrom, model, optimizer);
                    reseed(resumed.update());
                    LOG.info("resumed from {}: update {}, epoch {}, batch {}", resumeFrom, resumed.update(),
                            resumed.epoch(), resumed.batchesDone());
                }
                return loop(model, trainer, block, schedule, optimizer, resumed);
            }
        }
    }

    /**
     * Dropout's random numbers restart from (seed, update) at every checkpoint, in a run that
     * continues and in one resumed from there alike, so both see the same masks.
     */
    private void reseed(int update) {
        Engines.pytorch().setRandomSeed((int) (config.training().seed() + update));
    }

    private Summary loop(Model model, Trainer trainer, Seq2Seq block, Schedule schedule, Optimizer optimizer,
                         Checkpoints.State resumed) throws IOException {
        TrainingConfig tc = config.training();
        Checkpoints checkpoints = new Checkpoints(dir.path(), tc.keepCheckpoints());
        ParameterStore inference = new ParameterStore(trainer.getManager(), false);
        Translator translator = Translator.of(block, data.languages(), config, trainer.getManager(), inference);
        Random random = new Random(tc.seed());
        RunCounters counters = resumed == null ? RunCounters.start() : RunCounters.resumed(resumed);
        Validator validator = new Validator(model, trainer, block, translator, inference, schedule, counters);
        int firstUpdate = counters.update() + 1;
        int startEpoch = resumed == null ? 1 : resumed.epoch();
        Progress progress = new Progress(tc.logFreq());
        Updater updater = Updater.of(trainer, block, tc.clipGradNorm().floatValue());
        // A run resumed at or past max_updates only validates and tests.
        boolean stop = tc.maxUpdates() > 0 && counters.update() >= tc.maxUpdates();
        while (!stop && counters.epoch() < tc.epochs()) {
            int epoch = counters.nextEpoch();
            TrainingPairs pairs = data.trainingPairs(tc.seed() + epoch);
            List<int[]> batches = TokenBatcher.batches(pairs, tc.batchTokens(), random);
            if (epoch == 1) {
                int planned = tc.epochs() * batches.size();
                schedule.budget(tc.maxUpdates() > 0 ? Math.min(planned, tc.maxUpdates()) : planned,
                        tc.maxMinutes() * 60);
            }
            if (epoch < startEpoch) {
                // A resumed run replays the shuffles of the epochs it had finished.
                continue;
            }
            int first = resumed != null && epoch == startEpoch ? resumed.batchesDone() : 0;
            for (int b = first; b < batches.size(); b++) {
                Batch batch = Batch.of(pairs, batches.get(b));
                schedule.elapsed(counters.seconds());
                float loss = updater.update(batch);
                if (!Float.isFinite(loss)) {
                    int skipped = counters.skipped();
                    LOG.warn("epoch {} batch {}: non-finite loss or gradients, update skipped ({} in a row)", epoch,
                            b + 1, skipped);
                    if (skipped >= tc.maxNonfiniteUpdates()) {
                        throw new InputError("training diverged: " + skipped + " updates in a row had non-finite "
                                + "loss or gradients (last at epoch " + epoch + ", batch " + (b + 1)
                                + "); lower training.learning_rate or raise training.warmup_steps. "
                                + (Files.isRegularFile(dir.path().resolve(ModelDirectory.PARAMETERS_FILE))
                                        ? "The best model so far is kept in " + dir.path()
                                        : "No model had been saved yet"));
                    }
                    continue;
                }
                counters.updated(loss);
                int update = counters.update();
                if (update == firstUpdate) {
                    LOG.info(String.format("first update done %.1f s after the process started",
                            ManagementFactory.getRuntimeMXBean().getUptime() / 1e3));
                }
                progress.update(epoch, b + 1, batches.size(), update, loss, updater.lastGradientNorm(),
                        schedule.getNewValue(update), batch.targetTokens());
                if (update % tc.validationFreq() == 0) {
                    progress.pause();
                    validator.validate();
                    int sinceGain = counters.dev().sinceGain();
                    if (tc.patience() > 0 && sinceGain >= tc.patience()) {
                        LOG.info("no dev BLEU gain in {} validations: stopping early", sinceGain);
                        stop = true;
                        break;
                    }
                }
                if (tc.maxUpdates() > 0 && update >= tc.maxUpdates()) {
                    LOG.info("training.max_updates={} reached: stopping", tc.maxUpdates());
                    stop = true;
                }
                if (!stop && tc.maxMinutes() > 0 && counters.seconds() >= tc.maxMinutes() * 60) {
                    LOG.info("training.max_minutes={} reached at update {}: stopping", tc.maxMinutes(), update);
                    stop = true;
                }
                if (update % tc.checkpointFreq() == 0 || stop) {
                    progress.pause();
                    checkpoint(checkpoints, model, block, optimizer, counters.saved(b + 1, schedule));
                }
                if (stop) {
                    break;
                }
            }
        }
        progress.pause();
        if (counters.update() % tc.validationFreq() != 0) {
            validator.validate();
        }
        double seconds = counters.seconds();
        Evaluation.Result test = null;
        if (data.test() != null) {
            dir.loadParameters(model);
            // A ParameterStore keeps the arrays it first saw; the best parameters are new arrays.
            ParameterStore best = new ParameterStore(trainer.getManager(), false);
            test = Evaluation.run(block, translator, data.test(), bleu, chrf, trainer.getManager(), best,
                    tc.batchTokens());
            Files.write(dir.path().resolve(TEST_HYPOTHESES), test.translation().hypotheses(), StandardCharsets.UTF_8);
        }
        return new Summary(counters.update(), counters.epoch(), counters.dev().best(), test, seconds);
    }

    private void checkpoint(Checkpoints checkpoints, Model model, Seq2Seq block, Optimizer optimizer,
                            Checkpoints.State state) throws IOException {
        if (!finite(block)) {
            LOG.error("update {}: parameters are not finite; no checkpoint written", state.update());
            return;
        }
        Path saved = checkpoints.save(model, optimizer, state);
        reseed(state.update());
        LOG.info("checkpoint {}", saved);
    }

    private static boolean finite(Seq2Seq block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            try (NDArray sum = p.getValue().getArray().sum()) {
                if (!Float.isFinite(sum.getFloat())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** What a validation needs of the running loop; made once per run. */
    private final class Validator {
        private final Model model;
        private final Trainer trainer;
        private final Seq2Seq block;
        private final Translator translator;
        private final ParameterStore inference;
        private final MetricsLog metrics;
        private final Schedule schedule;
        private final RunCounters counters;

        Validator(Model model, Trainer trainer, Seq2Seq block, Translator translator, ParameterStore inference,
                  Schedule schedule, RunCounters counters) {
            this.model = model;
            this.trainer = trainer;
            this.block = block;
            this.translator = translator;
            this.inference = inference;
            this.metrics = new MetricsLog(dir.path());
            this.schedule = schedule;
            this.counters = counters;
        }

        /**
         * Scores the model on dev, saves it when it beats the best so far, counts the validation for
         * patience and the schedule, logs a line to metrics.jsonl and redraws the curves.
         */
        void validate() throws IOException {
            int update = counters.update();
            DevProgress dev = counters.dev();
            double trainLoss = counters.meanLoss();
            counters.validated();
            Evaluation.Result scored = Evaluation.run(block, translator, data.dev(), bleu, chrf, trainer.getManager(),
                    inference, config.training().batchTokens());
            double score = scored.translation().bleu().score();
            boolean best = score > dev.best() && finite(block);
            if (best) {
                dir.saveParameters(model);
            }
            dev.record(score);
            schedule.onValidation(dev);
            double elapsed = counters.seconds();
            LOG.info(String.format("validation at update %d (%.0f s): dev loss %.3f ppl %.2f BLEU %.2f chrF2 %.2f%s",
                    update, elapsed, scored.loss(), scored.perplexity(), score, scored.translation().chrf().score(),
                    best ? " (best, saved)" : ""));
            metrics.append(new MetricsLog.Validation(update, counters.epoch(),
                    Double.isFinite(trainLoss) ? trainLoss : null, scored.loss(), scored.perplexity(), score,
                    scored.translation().chrf().score(), schedule.getNewValue(update), elapsed, best));
            if (drawCurves) {
                try {
                    TrainingCurves.write(metrics.path(), dir.path().resolve(TrainingCurves.FILE));
                } catch (IOException e) {
                    drawCurves = false;
                    LOG.warn("{}; training goes on without {}", e.getMessage(), TrainingCurves.FILE);
                }
            }
        }
    }

    private static long countParameters(Seq2Seq block) {
        return block.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }
}
