package nmt.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The decoding flags every command and job that translates accepts ({@code --beam}, {@code --batch-size},
 * {@code --device}, {@code --set KEY=VALUE}), as overrides of a model's config.
 *
 * @param beam      decoding.beam_size, or null to keep the model's
 * @param batchSize decoding.batch_size, or null to keep the model's
 * @param device    auto, cpu or gpu, or null to keep the model's: a model directory names no device
 * @param settings  {@code key=value} overrides of any key, applied before the three above
 */
public record DecodingOverrides(Integer beam, Integer batchSize, String device, List<String> settings) {
    public static final DecodingOverrides NONE = new DecodingOverrides(null, null, null, List.of());

    public DecodingOverrides {
        settings = List.copyOf(settings);
    }

    public boolean given() {
        return beam != null || batchSize != null || device != null || !settings.isEmpty();
    }

    /** The overrides as {@code key=value} lines for {@link ConfigLoader#load(java.nio.file.Path, List)}. */
    public List<String> asSettings() {
        List<String> all = new ArrayList<>(settings);
        if (beam != null) {
            all.add("decoding.beam_size=" + beam);
        }
        if (batchSize != null) {
            all.add("decoding.batch_size=" + batchSize);
        }
        if (device != null) {
            all.add("device=" + device);
        }
        return all;
    }

    /** These overrides after {@code defaults}: settings of the command that the user's flags may override. */
    public List<String> after(List<String> defaults) {
        List<String> all = new ArrayList<>(defaults);
        all.addAll(asSettings());
        return all;
    }
}
