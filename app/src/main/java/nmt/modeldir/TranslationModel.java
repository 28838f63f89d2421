package nmt.modeldir;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import nmt.config.Config;
import nmt.data.LanguagePair;
import nmt.model.Seq2Seq;

/**
 * What every caller that translates holds, whatever stands behind it: one trained model or an
 * ensemble of several (see {@link ModelDirectory#load}). Search runs {@link #network()}; text goes
 * in and out through {@link #languages()}; {@link #config()} says how to decode.
 */
public interface TranslationModel extends AutoCloseable {
    /** The resolved config with the caller's overrides; an ensemble's is its first member's. */
    Config config();

    /** Vocabularies and tokenizers, shared by every member. */
    LanguagePair languages();

    /** The network that search steps through: the model's, or one averaging the members' log-probabilities. */
    Seq2Seq network();

    /** Where decoding arrays live; a batch opens a sub-manager of it. */
    NDManager manager();

    /** Reads the parameters (of every member) for inference. */
    ParameterStore parameterStore();

    /**
     * The DJL model that DJL's {@code Predictor} runs; its block may be replaced by a search around
     * {@link #network()} (see {@code decode.TextTranslator}). An ensemble's is its first member's.
     */
    Model djlModel();

    @Override
    void close();
}
