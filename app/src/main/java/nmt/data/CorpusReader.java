package nmt.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import nmt.InputError;
import nmt.config.CorpusPaths;

/** Reads a whole corpus split into memory (dev and test sets); large training splits are streamed by {@link PairReader}. */
public final class CorpusReader {
    private CorpusReader() {
    }

    public static ParallelCorpus read(CorpusPaths paths, String srcLang, String trgLang) {
        List<String> source = new ArrayList<>();
        List<String> target = new ArrayList<>();
        try (PairReader reader = new PairReader(paths, srcLang, trgLang)) {
            while (reader.next()) {
                source.add(reader.source());
                target.add(reader.target());
            }
        } catch (IOException e) {
            throw new InputError(paths + ": cannot close (" + e.getMessage() + ")");
        }
        return new ParallelCorpus(name(paths, srcLang, trgLang), source, target);
    }

    /** How messages name a split: its files. */
    public static String name(CorpusPaths paths, String srcLang, String trgLang) {
        List<String> names = new ArrayList<>();
        for (String part : paths.parts()) {
            names.add(CorpusPaths.isTsv(part) ? part
                    : CorpusPaths.side(part, srcLang) + " / " + CorpusPaths.side(part, trgLang));
        }
        return String.join(", ", names);
    }
}
