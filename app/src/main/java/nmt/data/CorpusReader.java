package nmt.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nmt.InputError;
import nmt.config.CorpusPaths;

/** Reads a corpus split from a TSV file or from two line-aligned files. */
public final class CorpusReader {
    private CorpusReader() {
    }

    public static ParallelCorpus read(CorpusPaths paths, String srcLang, String trgLang) {
        return paths.isTsv() ? readTsv(paths.tsv()) : readAligned(paths.side(srcLang), paths.side(trgLang));
    }

    /** Source in the first column, target in the second; further columns (attribution) are ignored. */
    public static ParallelCorpus readTsv(Path file) {
        List<String> lines = TextFiles.readLines(file);
        List<String> source = new ArrayList<>(lines.size());
        List<String> target = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = lines.get(i).split("\t", -1);
            if (fields.length < 2) {
                throw new InputError(file + ":" + (i + 1) + ": no tab between source and target");
            }
            source.add(fields[0]);
            target.add(fields[1]);
        }
        return new ParallelCorpus(file.toString(), source, target);
    }

    public static ParallelCorpus readAligned(Path sourceFile, Path targetFile) {
        List<String> source = TextFiles.readLines(sourceFile);
        List<String> target = TextFiles.readLines(targetFile);
        if (source.size() != target.size()) {
            throw new InputError(sourceFile + " has " + source.size() + " lines but " + targetFile + " has "
                    + target.size() + ": the files must be line-aligned");
        }
        return new ParallelCorpus(sourceFile + " / " + targetFile, source, target);
    }
}
