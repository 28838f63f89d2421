package nmt.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What every task needs to translate: the model directory as the job was given it and the config
 * overrides (beam, batch size, --set). Equal settings share one loaded model per executor.
 */
record JobSettings(String model, List<String> overrides) implements Serializable {
    JobSettings {
        overrides = List.copyOf(overrides);
    }
}
