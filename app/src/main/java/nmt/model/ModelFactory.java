package nmt.model;

import nmt.InputError;
import nmt.config.Config;
import nmt.config.DecodingConfig;
import nmt.config.ModelConfig;
import nmt.model.attention.AdditiveScore;
import nmt.model.attention.AttentionScore;
import nmt.model.attention.MultiplicativeScore;
import nmt.model.attention.RnnAttention;
import nmt.model.attention.Window;
import nmt.model.rnn.BahdanauDecoder;
import nmt.model.rnn.InitialState;
import nmt.model.rnn.LuongDecoder;
import nmt.model.rnn.RnnCell;
import nmt.model.rnn.RnnDecoder;
import nmt.model.rnn.RnnEncoder;
import nmt.model.rnn.RnnSeq2Seq;
import nmt.model.transformer.TransformerSeq2Seq;

/** Turns the model section of a config into a model (parameters not yet allocated). */
public final class ModelFactory {
    private ModelFactory() {
    }

    public static Seq2Seq create(Config config, int sourceVocabulary, int targetVocabulary) {
        return create(config.model(), sourceVocabulary, targetVocabulary, config.decoding());
    }

    /** @param decoding whether a Transformer decodes with its key/value cache, and which attention it reports */
    public static Seq2Seq create(ModelConfig config, int sourceVocabulary, int targetVocabulary,
                                          DecodingConfig decoding) {
        return switch (config.type()) {
            case "bahdanau", "luong" -> rnn(config, sourceVocabulary, targetVocabulary);
            case "transformer" -> transformer(config, sourceVocabulary, targetVocabulary, decoding);
            default -> throw new InputError("model.type \"" + config.type() + "\" is not available in this version");
        };
    }

    private static Seq2Seq transformer(ModelConfig c, int sourceVocabulary, int targetVocabulary,
                                                DecodingConfig decoding) {
        if (c.sharedEmbeddings() && sourceVocabulary != targetVocabulary) {
            throw new InputError("model.shared_embeddings needs one joint vocabulary, got " + sourceVocabulary
                    + " source and " + targetVocabulary + " target tokens");
        }
        return new TransformerSeq2Seq(c, decoding, sourceVocabulary, targetVocabulary);
    }

    private static Seq2Seq rnn(ModelConfig c, int sourceVocabulary, int targetVocabulary) {
        RnnCell cell = RnnCell.fromConfig(c.rnnType());
        float dropout = c.dropout().floatValue();
        int hidden = c.hiddenSize();
        RnnEncoder encoder = new RnnEncoder(cell, c.embeddingSize(), hidden, c.layers(), c.bidirectional(), dropout);
        int contextDim = encoder.outputDim();
        AttentionScore score = switch (c.attention()) {
            case "additive", "concat" -> new AdditiveScore(hidden, contextDim, hidden);
            case "dot" -> new MultiplicativeScore(hidden, contextDim, false, c.attentionScale());
            case "general" -> new MultiplicativeScore(hidden, contextDim, true, c.attentionScale());
            default -> throw new IllegalStateException(c.attention());
        };
        RnnAttention attention = new RnnAttention(score, hidden, Window.fromConfig(c.attentionWindow()), c.localWindow(),
                "hard".equals(c.attentionMode()));
        InitialState init = InitialState.fromConfig(c.initState());
        RnnDecoder decoder = "bahdanau".equals(c.type())
                ? new BahdanauDecoder(cell, targetVocabulary, c.embeddingSize(), hidden, c.layers(), contextDim,
                        attention, init, c.tiedEmbeddings(), dropout)
                : new LuongDecoder(cell, targetVocabulary, c.embeddingSize(), hidden, c.layers(), contextDim,
                        attention, init, c.inputFeeding(), c.tiedEmbeddings(), dropout);
        return new RnnSeq2Seq(sourceVocabulary, c.embeddingSize(), encoder, decoder, dropout);
    }
}
