package nmt.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import nmt.decode.Chunks;
import nmt.decode.Translated;
import nmt.decode.Translator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates one partition: rows (key, source, ...) in, the same rows with the translation after
 * the source out. Rows are taken in {@link Chunks} and decoded in length-sorted batches by the
 * executor's {@link Translator}, as {@code nmt translate} decodes a file.
 */
final class PartitionTranslator implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionTranslator.class);

    private final JobSettings settings;
    private final int sourceField;

    /** @param sourceField index of the source text in the input rows; the translation is inserted after it */
    PartitionTranslator(JobSettings settings, int sourceField) {
        this.settings = settings;
        this.sourceField = sourceField;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Translator translator = ExecutorModels.get(settings).translator();
        Chunks<Row> chunks = new Chunks<>(rows, translator.chunkSize());
        return new Iterator<>() {
            private Iterator<Row> chunk = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                if (!chunk.hasNext() && chunks.hasNext()) {
                    chunk = translate(translator, chunks.next()).iterator();
                }
                return chunk.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return chunk.next();
            }
        };
    }

    private List<Row> translate(Translator translator, List<Row> inputs) {
        List<String> sources = new ArrayList<>(inputs.size());
        for (Row row : inputs) {
            sources.add(row.isNullAt(sourceField) ? "" : row.getString(sourceField));
        }
        List<Translated> results = translator.search(sources, 1);
        List<Row> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Row in = inputs.get(i);
            Translated result = results.get(i);
            if (result.truncated()) {
                LOG.warn("row {} has {} tokens; only the first {} are translated", in.get(0), result.sourceTokens(),
                        result.readTokens());
            }
            String translation = translator.text(result);
            Object[] values = new Object[in.length() + 1];
            for (int f = 0, o = 0; f < in.length(); f++) {
                values[o++] = in.get(f);
                if (f == sourceField) {
                    values[o++] = translation;
                }
            }
            out.add(RowFactory.create(values));
        }
        return out;
    }
}
