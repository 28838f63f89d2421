package nmt.model.rnn;

import java.util.Locale;

/** How the decoder's first hidden state comes from the encoder's final states. */
public enum InitialState {
    /** tanh(W · encoder final), any sizes. */
    BRIDGE,
    /** The encoder final itself; its width must equal the decoder's. */
    LAST,
    /** Zeros. */
    ZERO;

    public static InitialState fromConfig(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
