package nmt.data;

import java.util.List;

/** Line-aligned source and target sentences; {@code name} says where they came from, for messages. */
public record ParallelCorpus(String name, List<String> source, List<String> target) {
    public ParallelCorpus {
        if (source.size() != target.size()) {
            throw new IllegalArgumentException("source and target differ in length");
        }
    }

    public int size() {
        return source.size();
    }
}
