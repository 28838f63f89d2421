package nmt.config;

import java.util.List;

/**
 * The architecture and its sizes. Keys left out take the default of the model type: Bahdanau's
 * paper uses a bidirectional encoder and additive attention, Luong's a unidirectional encoder,
 * "general" attention and input feeding.
 *
 * @param type            "bahdanau", "luong" or "transformer" (required)
 * @param embeddingSize   token embedding width (default 256)
 * @param hiddenSize      RNN state width per direction (default 256)
 * @param layers          encoder and decoder layers (default 1)
 * @param dropout         dropout probability (default 0.1)
 * @param rnnType         "gru" (default) or "lstm"
 * @param bidirectional   bidirectional encoder (bahdanau: true, luong: false)
 * @param attention       score: "additive", "dot", "general" or "concat" (bahdanau: additive, luong: general)
 * @param attentionScale  divide multiplicative scores by √d (default false)
 * @param attentionWindow "global" (default), "local-m" or "local-p" (Luong's local attention)
 * @param localWindow     D, half width of the local window (default 5)
 * @param attentionMode   "soft" (default) or "hard": one-hot weights on the arg-max when decoding
 * @param inputFeeding    Luong's input feeding (default true)
 * @param initState       decoder start: "bridge" (default), "last" or "zero"
 * @param tiedEmbeddings  share the target embedding with the output projection (transformer: true, else false)
 * @param heads           Transformer attention heads (default 4)
 * @param ffSize          Transformer feed-forward width (default 4 × hidden_size)
 * @param positional      Transformer positions: "sinusoidal" (default), "learned" (absolute, added to the
 *                        embeddings) or "relative" (Shaw et al. 2018, in self-attention instead)
 * @param maxPositions    longest sequence the Transformer's positions cover (default 256)
 * @param preNorm         Transformer LayerNorm before each sublayer (default true) or after it (the paper)
 * @param activation      Transformer feed-forward activation: "relu" (default) or "gelu"
 * @param attentionDropout dropout on Transformer attention weights (default: dropout)
 * @param restrictedWindow Transformer encoder self-attention sees only ±r neighbours; 0 is unrestricted (default)
 * @param sharedEmbeddings one embedding matrix for source and target; needs data.joint_vocab (default false)
 * @param relativeMaxDistance with relative positions, the largest distance told apart, k (default 16)
 */
public record ModelConfig(String type, Integer embeddingSize, Integer hiddenSize, Integer layers, Double dropout,
                          String rnnType, Boolean bidirectional, String attention, Boolean attentionScale,
                          String attentionWindow, Integer localWindow, String attentionMode, Boolean inputFeeding,
                          String initState, Boolean tiedEmbeddings, Integer heads, Integer ffSize, String positional,
                          Integer maxPositions, Boolean preNorm, String activation, Double attentionDropout,
                          Integer restrictedWindow, Boolean sharedEmbeddings, Integer relativeMaxDistance) {
    public static final List<String> TYPES = List.of("bahdanau", "luong", "transformer");
    public static final List<String> RNN_TYPES = List.of("gru", "lstm");
    public static final List<String> SCORES = List.of("additive", "dot", "general", "concat");
    public static final List<String> WINDOWS = List.of("global", "local-m", "local-p");
    public static final List<String> MODES = List.of("soft", "hard");
    public static final List<String> INIT_STATES = List.of("bridge", "last", "zero");
    public static final List<String> POSITIONALS = List.of("sinusoidal", "learned", "relative");
    public static final List<String> ACTIVATIONS = List.of("relu", "gelu");

    public ModelConfig {
        boolean luong = "luong".equals(type);
        boolean transformer = "transformer".equals(type);
        hiddenSize = hiddenSize == null ? 256 : hiddenSize;
        embeddingSize = embeddingSize == null ? (transformer ? hiddenSize : 256) : embeddingSize;
        layers = layers == null ? 1 : layers;
        dropout = dropout == null ? 0.1 : dropout;
        rnnType = rnnType == null ? "gru" : rnnType;
        bidirectional = bidirectional == null ? !luong : bidirectional;
        attention = attention == null ? (luong ? "general" : "additive") : attention;
        attentionScale = attentionScale != null && attentionScale;
        attentionWindow = attentionWindow == null ? "global" : attentionWindow;
        localWindow = localWindow == null ? 5 : localWindow;
        attentionMode = attentionMode == null ? "soft" : attentionMode;
        inputFeeding = inputFeeding == null || inputFeeding;
        initState = initState == null ? "bridge" : initState;
        tiedEmbeddings = tiedEmbeddings == null ? transformer : tiedEmbeddings;
        heads = heads == null ? 4 : heads;
        ffSize = ffSize == null ? 4 * hiddenSize : ffSize;
        positional = positional == null ? "sinusoidal" : positional;
        maxPositions = maxPositions == null ? 256 : maxPositions;
        preNorm = preNorm == null || preNorm;
        activation = activation == null ? "relu" : activation;
        attentionDropout = attentionDropout == null ? dropout : attentionDropout;
        restrictedWindow = restrictedWindow == null ? 0 : restrictedWindow;
        sharedEmbeddings = sharedEmbeddings != null && sharedEmbeddings;
        relativeMaxDistance = relativeMaxDistance == null ? 16 : relativeMaxDistance;
    }

    void validate(String path) {
        Check.required(type, path + ".type");
        Check.oneOf(type, TYPES, path + ".type");
        Check.atLeast(embeddingSize, 1, path + ".embedding_size");
        Check.atLeast(hiddenSize, 1, path + ".hidden_size");
        Check.atLeast(layers, 1, path + ".layers");
        Check.inHalfOpen(dropout, 0, 1, path + ".dropout");
        Check.oneOf(rnnType, RNN_TYPES, path + ".rnn_type");
        Check.oneOf(attention, SCORES, path + ".attention");
        Check.oneOf(attentionWindow, WINDOWS, path + ".attention_window");
        Check.atLeast(localWindow, 1, path + ".local_window");
        Check.oneOf(attentionMode, MODES, path + ".attention_mode");
        Check.oneOf(initState, INIT_STATES, path + ".init_state");
        Check.atLeast(heads, 1, path + ".heads");
        Check.atLeast(ffSize, 1, path + ".ff_size");
        Check.oneOf(positional, POSITIONALS, path + ".positional");
        Check.atLeast(maxPositions, 2, path + ".max_positions");
        Check.oneOf(activation, ACTIVATIONS, path + ".activation");
        Check.inHalfOpen(attentionDropout, 0, 1, path + ".attention_dropout");
        Check.atLeast(restrictedWindow, 0, path + ".restricted_window");
        Check.atLeast(relativeMaxDistance, 1, path + ".relative_max_distance");
        if ("transformer".equals(type)) {
            if (!embeddingSize.equals(hiddenSize)) {
                throw new nmt.InputError(path + ".embedding_size (" + embeddingSize + ") must equal hidden_size ("
                        + hiddenSize + ", d_model) for a transformer");
            }
            if (hiddenSize % heads != 0) {
                throw new nmt.InputError(path + ".hidden_size " + hiddenSize + " is not divisible by " + path
                        + ".heads " + heads);
            }
            return;
        }
        int contextDim = bidirectional ? 2 * hiddenSize : hiddenSize;
        if ("dot".equals(attention) && contextDim != hiddenSize) {
            throw new nmt.InputError(path + ".attention \"dot\" needs the encoder output (" + contextDim
                    + " wide, bidirectional) to match hidden_size " + hiddenSize + ": use \"general\"");
        }
        if ("last".equals(initState) && contextDim != hiddenSize) {
            throw new nmt.InputError(path + ".init_state \"last\" needs the encoder final state (" + contextDim
                    + " wide, bidirectional) to match hidden_size " + hiddenSize + ": use \"bridge\"");
        }
        if (tiedEmbeddings && "luong".equals(type) && !embeddingSize.equals(hiddenSize)) {
            throw new nmt.InputError(path + ".tied_embeddings needs embedding_size (" + embeddingSize
                    + ") equal to hidden_size (" + hiddenSize + ") for a Luong decoder");
        }
    }
}
