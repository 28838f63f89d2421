package nmt.model;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import nmt.InputError;
import nmt.config.Config;
import nmt.config.DataConfig;
import nmt.data.LanguagePair;

/**
 * One model directory, or several decoding as an {@link Ensemble}: they must share vocabularies
 * and tokenization, since they read the same source ids and score the same target ids. The first
 * directory's config (decoding settings, length limits) drives the search.
 */
public final class TrainedEnsemble implements AutoCloseable {
    private static final List<String> SHARED_FILES = List.of(LanguagePair.SOURCE_VOCAB, LanguagePair.TARGET_VOCAB,
            LanguagePair.SOURCE_BPE, LanguagePair.TARGET_BPE);

    private final List<TrainedModel> members;
    private final TranslationModel block;

    private TrainedEnsemble(List<TrainedModel> members) {
        this.members = members;
        this.block = members.size() == 1 ? members.get(0).block()
                : new Ensemble(members.stream().map(TrainedModel::block).toList());
    }

    /** @param config each directory's config, with the command's overrides applied */
    public static TrainedEnsemble load(List<Path> dirs, Function<ModelDirectory, Config> config) {
        List<ModelDirectory> opened = new ArrayList<>();
        List<Config> configs = new ArrayList<>();
        for (Path dir : dirs) {
            ModelDirectory d = ModelDirectory.open(dir);
            opened.add(d);
            configs.add(config.apply(d));
            if (opened.size() > 1) {
                checkCompatible(opened.get(0), configs.get(0), d, configs.get(configs.size() - 1));
            }
        }
        List<TrainedModel> members = new ArrayList<>();
        try {
            for (int i = 0; i < opened.size(); i++) {
                members.add(TrainedModel.load(opened.get(i), configs.get(i)));
            }
        } catch (RuntimeException e) {
            members.forEach(TrainedModel::close);
            throw e;
        }
        return new TrainedEnsemble(members);
    }

    private static void checkCompatible(ModelDirectory first, Config firstConfig, ModelDirectory other,
                                        Config otherConfig) {
        for (String name : SHARED_FILES) {
            if (!sameFile(first.path().resolve(name), other.path().resolve(name))) {
                refuse(first, other, "its " + name + " differs");
            }
        }
        DataConfig a = firstConfig.data();
        DataConfig b = otherConfig.data();
        if (!Objects.equals(a.lowercase(), b.lowercase()) || !Objects.equals(a.normalization(), b.normalization())
                || !Objects.equals(a.srcTokenizer(), b.srcTokenizer())
                || !Objects.equals(a.trgTokenizer(), b.trgTokenizer())
                || !a.src().equals(b.src()) || !a.trg().equals(b.trg())) {
            refuse(first, other, "its languages or tokenization (data.src, trg, tokenizer, lowercase, normalization) "
                    + "differ");
        }
    }

    private static void refuse(ModelDirectory first, ModelDirectory other, String why) {
        throw new InputError("model directory " + other.path() + " cannot join an ensemble with " + first.path() + ": "
                + why + "; ensembled models need the same vocabularies and tokenization");
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            boolean hasA = Files.isRegularFile(a);
            return hasA == Files.isRegularFile(b) && (!hasA || Arrays.equals(Files.readAllBytes(a),
                    Files.readAllBytes(b)));
        } catch (IOException e) {
            throw new InputError(b + ": cannot read (" + e.getMessage() + ")");
        }
    }

    public int size() {
        return members.size();
    }

    public Config config() {
        return members.get(0).config();
    }

    public LanguagePair languages() {
        return members.get(0).languages();
    }

    /** The model, or the ensemble of the models. */
    public TranslationModel block() {
        return block;
    }

    public NDManager manager() {
        return members.get(0).manager();
    }

    /** Reads every member's parameters (a store hands out whatever parameter it is asked for). */
    public ParameterStore parameterStore() {
        return members.get(0).parameterStore();
    }

    @Override
    public void close() {
        members.forEach(TrainedModel::close);
    }
}
