package nmt.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import nmt.model.DecoderState;
import nmt.model.Rows;
import nmt.model.attention.KeyValueCache;
import nmt.model.attention.MultiHeadAttention.KeyValues;

/**
 * @param sourceBias      source padding mask, [B, 1, 1, S]
 * @param sourceKeyValues per decoder layer, the encoder output projected to keys and values
 * @param caches          per decoder layer, self-attention keys and values of the positions so far;
 *                        null when decoding without the cache
 * @param history         without the cache, every token read so far [B, t] (recomputed each step); else null
 * @param step            how many target tokens have been read
 */
public record TransformerState(NDArray sourceBias, List<KeyValues> sourceKeyValues, List<KeyValueCache> caches,
                               NDArray history, int step) implements DecoderState {

    @Override
    public TransformerState select(NDArray rows) {
        List<KeyValues> crossKeyValues = new ArrayList<>(sourceKeyValues.size());
        for (KeyValues kv : sourceKeyValues) {
            crossKeyValues.add(kv.select(rows));
        }
        List<KeyValueCache> selected = null;
        if (caches != null) {
            selected = new ArrayList<>(caches.size());
            for (KeyValueCache cache : caches) {
                selected.add(cache.select(rows));
            }
        }
        return new TransformerState(Rows.select(sourceBias, rows), crossKeyValues, selected,
                history == null ? null : Rows.select(history, rows), step);
    }

    @Override
    public NDList arrays() {
        NDList arrays = new NDList(sourceBias);
        for (KeyValues kv : sourceKeyValues) {
            arrays.add(kv.keys());
            arrays.add(kv.values());
        }
        if (caches != null) {
            for (KeyValueCache cache : caches) {
                arrays.addAll(cache.arrays());
            }
        }
        if (history != null) {
            arrays.add(history);
        }
        return arrays;
    }
}
