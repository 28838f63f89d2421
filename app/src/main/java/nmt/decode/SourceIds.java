package nmt.decode;

import java.util.Arrays;
import nmt.data.TextPipeline;

/**
 * A source line as the model reads it: its ids, cut at the model's data.max_length, and how many
 * tokens the line had.
 */
record SourceIds(int[] ids, int tokens) {
    static SourceIds of(TextPipeline source, String line, int maxLength) {
        int[] all = source.encode(line);
        return new SourceIds(all.length > maxLength ? Arrays.copyOf(all, maxLength) : all, all.length);
    }

    boolean truncated() {
        return ids.length < tokens;
    }
}
