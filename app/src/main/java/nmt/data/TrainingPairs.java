package nmt.data;

import java.util.List;

/**
 * Encoded sentence pairs addressed by index, as batching reads them: lengths first (to bucket),
 * then the ids of the pairs a batch takes. A prepared corpus answers from its token file, a list
 * of examples from the heap.
 */
public interface TrainingPairs {
    int size();

    /** Source tokens of pair {@code i}, without {@code <eos>}. */
    int sourceLength(int i);

    /** Target tokens of pair {@code i}, without {@code <bos>}/{@code <eos>}. */
    int targetLength(int i);

    Example example(int i);

    static TrainingPairs of(List<Example> examples) {
        return new TrainingPairs() {
            @Override
            public int size() {
                return examples.size();
            }

            @Override
            public int sourceLength(int i) {
                return examples.get(i).source().length;
            }

            @Override
            public int targetLength(int i) {
                return examples.get(i).target().length;
            }

            @Override
            public Example example(int i) {
                return examples.get(i);
            }
        };
    }
}
