package nmt.model.transformer;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import nmt.model.DecoderState;
import nmt.model.attention.MultiHeadAttention.KeyValues;

/**
 * @param sourceBias source padding mask, [B, 1, 1, S]
 * @param memory     per decoder layer, the encoder output projected to keys and values
 * @param cache      per decoder layer, self-attention keys and values of the positions so far
 *                   (empty before the first step, and always when decoding without the cache)
 * @param history    without the cache, every token read so far [B, t] (recomputed each step); else null
 * @param step       how many target tokens have been read
 * @param crossWeights the last step's encoder–decoder weights of every layer, each [B, H, S]
 */
public record TransformerState(NDArray sourceBias, List<KeyValues> memory, List<KeyValues> cache, NDArray history,
                               int step, List<NDArray> crossWeights) implements DecoderState {

    @Override
    public TransformerState select(NDArray rows) {
        List<KeyValues> memorySelected = new ArrayList<>(memory.size());
        for (KeyValues kv : memory) {
            memorySelected.add(kv.select(rows));
        }
        List<KeyValues> cacheSelected = new ArrayList<>(cache.size());
        for (KeyValues kv : cache) {
            cacheSelected.add(kv.select(rows));
        }
        List<NDArray> weightsSelected = new ArrayList<>(crossWeights.size());
        for (NDArray w : crossWeights) {
            weightsSelected.add(w.get(rows));
        }
        return new TransformerState(sourceBias.get(rows), memorySelected, cacheSelected,
                history == null ? null : history.get(rows), step, weightsSelected);
    }
}
