package nmt.config;

/**
 * How translations are searched for.
 *
 * @param beamSize        1 is greedy search (default 1)
 * @param maxOutputLength longest output in tokens (default 100)
 */
public record DecodingConfig(Integer beamSize, Integer maxOutputLength) {
    public DecodingConfig {
        beamSize = beamSize == null ? 1 : beamSize;
        maxOutputLength = maxOutputLength == null ? 100 : maxOutputLength;
    }

    public static DecodingConfig defaults() {
        return new DecodingConfig(null, null);
    }

    void validate(String path) {
        Check.atLeast(beamSize, 1, path + ".beam_size");
        Check.atLeast(maxOutputLength, 1, path + ".max_output_length");
    }
}
