package nmt.model.transformer;

import nmt.config.ModelConfig;

/**
 * What every encoder and decoder layer is built from.
 *
 * @param relativeMaxDistance k of relative positions in self-attention; 0 for none
 */
public record LayerShape(int modelDim, int heads, int ffDim, boolean gelu, boolean preNorm, float dropout,
                         float attentionDropout, int relativeMaxDistance) {
    public static LayerShape of(ModelConfig c) {
        return new LayerShape(c.hiddenSize(), c.heads(), c.ffSize(), "gelu".equals(c.activation()), c.preNorm(),
                c.dropout().floatValue(), c.attentionDropout().floatValue(),
                "relative".equals(c.positional()) ? c.relativeMaxDistance() : 0);
    }
}
