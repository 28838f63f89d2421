package nmt.model.rnn;

import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.recurrent.RecurrentBlock;
import java.util.Locale;

/** The recurrent unit; an LSTM carries two state tensors (h, c), a GRU one. */
public enum RnnCell {
    GRU_CELL(1), LSTM_CELL(2);

    private final int stateTensors;

    RnnCell(int stateTensors) {
        this.stateTensors = stateTensors;
    }

    public int stateTensors() {
        return stateTensors;
    }

    public static RnnCell fromConfig(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "gru" -> GRU_CELL;
            case "lstm" -> LSTM_CELL;
            default -> throw new IllegalArgumentException("unknown rnn type " + name);
        };
    }

    /** A batch-first stack that returns its final state; dropout applies between its layers. */
    public RecurrentBlock build(int hidden, int layers, float dropout) {
        return this == GRU_CELL
                ? GRU.builder().setStateSize(hidden).setNumLayers(layers).optBatchFirst(true).optReturnState(true)
                        .optDropRate(layers > 1 ? dropout : 0f).build()
                : LSTM.builder().setStateSize(hidden).setNumLayers(layers).optBatchFirst(true).optReturnState(true)
                        .optDropRate(layers > 1 ? dropout : 0f).build();
    }
}
