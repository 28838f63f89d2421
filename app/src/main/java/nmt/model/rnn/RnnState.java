package nmt.model.rnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import nmt.model.DecoderState;
import nmt.model.Rows;
import nmt.model.attention.AttendedSource;

/**
 * @param hidden      the RNN state tensors, each [layers, B, H] (h for a GRU; h and c for an LSTM)
 * @param attentional Luong's previous attentional vector h̃ for input feeding, [B, 1, H], or null
 * @param attended    the encoded source, prepared for attention
 * @param step        how many target tokens have been read
 */
public record RnnState(NDList hidden, NDArray attentional, AttendedSource attended, int step) implements DecoderState {

    /** The top layer's hidden state, [B, 1, H]: the query of a Bahdanau decoder. */
    public NDArray top() {
        NDArray h = hidden.get(0);
        return h.get(h.getShape().get(0) - 1).expandDims(1);
    }

    @Override
    public RnnState select(NDArray rows) {
        NDList selected = new NDList(hidden.size());
        for (NDArray h : hidden) {
            selected.add(Rows.select(h.swapAxes(0, 1), rows).swapAxes(0, 1));
        }
        return new RnnState(selected, attentional == null ? null : Rows.select(attentional, rows), attended.select(rows),
                step);
    }

    @Override
    public NDList arrays() {
        NDList arrays = new NDList(hidden);
        if (attentional != null) {
            arrays.add(attentional);
        }
        arrays.addAll(attended.arrays());
        return arrays;
    }
}
