package nmt.modeldir;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import nmt.InputError;
import nmt.config.Config;
import nmt.config.DataConfig;
import nmt.data.LanguagePair;
import nmt.model.Ensemble;
import nmt.model.Seq2Seq;

/**
 * Several model directories decoding as one {@link Ensemble}: they must share vocabularies and
 * tokenization, since they read the same source ids and score the same target ids. The first
 * directory's config (decoding settings, length limits) drives the search.
 */
final class TrainedEnsemble implements TranslationModel {
    private static final List<String> SHARED_FILES = List.of(LanguagePair.SOURCE_VOCAB, LanguagePair.TARGET_VOCAB,
            LanguagePair.SOURCE_BPE, LanguagePair.TARGET_BPE);

    private final List<TranslationModel> members;
    private final Ensemble network;

    private TrainedEnsemble(List<TranslationModel> members) {
        this.members = members;
        this.network = new Ensemble(members.stream().map(TranslationModel::network).toList());
    }

    /**
     * @param configs         each directory's config, with the caller's overrides applied
     * @param decodingThreads threads per operator of the exported members that do not set their own
     * @param onJava          every member is exported: the search's arrays live on the Java engine
     */
    static TrainedEnsemble load(List<ModelDirectory> dirs, List<Config> configs, int decodingThreads,
                                boolean onJava) {
        checkCompatible(dirs, configs);
        List<TranslationModel> members = new ArrayList<>();
        try {
            for (int i = 0; i < dirs.size(); i++) {
                members.add(dirs.get(i).loadModel(configs.get(i), decodingThreads, onJava));
            }
        } catch (RuntimeException e) {
            members.forEach(TranslationModel::close);
            throw e;
        }
        for (TranslationModel member : members) {
            if (!member.manager().getDevice().equals(members.get(0).manager().getDevice())) {
                members.forEach(TranslationModel::close);
                // Exported models decode on the CPU, and a step hands one array to every member.
                throw new InputError("the ensemble's models run on different devices ("
                        + members.get(0).manager().getDevice() + ", " + member.manager().getDevice()
                        + "): exported models decode on the CPU, so run the ensemble with --device cpu");
            }
        }
        return new TrainedEnsemble(members);
    }
    /** Refuses directories that cannot decode together, naming the first one that differs and how. */
    static void checkCompatible(List<ModelDirectory> dirs, List<Config> configs) {
        for (int i = 1; i < dirs.size(); i++) {
            checkCompatible(dirs.get(0), configs.get(0), dirs.get(i), configs.get(i));
        }
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

    @Override
    public Config config() {
        return members.get(0).config();
    }

    @Override
    public LanguagePair languages() {
        return members.get(0).languages();
    }

    @Override
    public Seq2Seq network() {
        return network;
    }

    @Override
    public NDManager manager() {
        return members.get(0).manager();
    }

    /** Reads every member's parameters (a store hands out whatever parameter it is asked for). */
    @Override
    public ParameterStore parameterStore() {
        return members.get(0).parameterStore();
    }

    @Override
    public Model djlModel() {
        return members.get(0).djlModel();
    }

    @Override
    public void close() {
        members.forEach(TranslationModel::close);
    }
}
