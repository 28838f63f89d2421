package nmt.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What every task needs to translate: the model directories as the job was given them (several
 * decode as an ensemble) and the config overrides (beam, batch size, --set). Equal settings share
 * one loaded model per executor.
 */
record JobSettings(List<String> models, List<String> overrides) implements Serializable {
    JobSettings {
        models = List.copyOf(models);
        overrides = List.copyOf(overrides);
    }
}
