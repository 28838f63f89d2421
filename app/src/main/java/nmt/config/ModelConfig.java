package nmt.config;

import java.util.List;

/**
 * The architecture and its sizes.
 *
 * @param type          "bahdanau", "luong" or "transformer" (required)
 * @param embeddingSize token embedding width (default 256)
 * @param hiddenSize    RNN state width, or d_model for the Transformer (default 256)
 * @param layers        encoder and decoder layers (default 1)
 * @param dropout       dropout probability (default 0.1)
 */
public record ModelConfig(String type, Integer embeddingSize, Integer hiddenSize, Integer layers, Double dropout) {
    public static final List<String> TYPES = List.of("bahdanau", "luong", "transformer");

    public ModelConfig {
        embeddingSize = embeddingSize == null ? 256 : embeddingSize;
        hiddenSize = hiddenSize == null ? 256 : hiddenSize;
        layers = layers == null ? 1 : layers;
        dropout = dropout == null ? 0.1 : dropout;
    }

    void validate(String path) {
        Check.required(type, path + ".type");
        Check.oneOf(type, TYPES, path + ".type");
        Check.atLeast(embeddingSize, 1, path + ".embedding_size");
        Check.atLeast(hiddenSize, 1, path + ".hidden_size");
        Check.atLeast(layers, 1, path + ".layers");
        Check.inHalfOpen(dropout, 0, 1, path + ".dropout");
    }
}
