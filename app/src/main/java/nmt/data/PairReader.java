package nmt.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nmt.InputError;
import nmt.config.CorpusPaths;

/**
 * Streams the sentence pairs of a corpus split, part after part, one pair at a time: TSV parts
 * take the first two columns, prefix parts read two line-aligned files. Nothing is kept but the
 * current line, so a corpus of any size reads in constant memory.
 */
public final class PairReader implements Closeable {
    private final List<String> parts;
    private final String srcLang;
    private final String trgLang;
    private final long totalBytes;
    private long finishedBytes;
    private int part = -1;
    private Open current;
    private String source;
    private String target;

    /** One part's open readers, with the compressed or plain bytes read so far for progress. */
    private record Open(LineReader first, LineReader second, CountingInput counted, Path firstFile, Path secondFile)
            implements Closeable {
        @Override
        public void close() throws IOException {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    public PairReader(CorpusPaths paths, String srcLang, String trgLang) {
        this.parts = paths.parts();
        this.srcLang = srcLang;
        this.trgLang = trgLang;
        long bytes = 0;
        for (Path file : files(paths, srcLang, trgLang)) {
            try {
                bytes += Files.size(file);
            } catch (IOException e) {
                throw new InputError(file + ": file not found");
            }
        }
        this.totalBytes = bytes;
    }

    /** The files a split reads, in order: a TSV file, or the source and target file of each part. */
    public static List<Path> files(CorpusPaths paths, String srcLang, String trgLang) {
        List<Path> files = new ArrayList<>();
        for (String part : paths.parts()) {
            if (CorpusPaths.isTsv(part)) {
                files.add(Path.of(part));
            } else {
                files.add(CorpusPaths.side(part, srcLang));
                files.add(CorpusPaths.side(part, trgLang));
            }
        }
        return files;
    }

    /** Moves to the next pair; false at the end of the last part. */
    public boolean next() {
        try {
            return advance();
        } catch (IOException e) {
            throw TextFiles.cannotRead(current == null ? Path.of(parts.get(part)) : current.firstFile(), e);
        }
    }

    private boolean advance() throws IOException {
        while (true) {
            if (current == null && !openNext()) {
                return false;
            }
            String first = read(current.first(), current.firstFile());
            if (current.second() == null) {
                if (first == null) {
                    closePart();
                    continue;
                }
                int tab = first.indexOf('\t');
                if (tab < 0) {
                    throw new InputError(current.firstFile() + ":" + current.first().lineNumber()
                            + ": no tab between source and target");
                }
                int end = first.indexOf('\t', tab + 1);
                source = first.substring(0, tab);
                target = end < 0 ? first.substring(tab + 1) : first.substring(tab + 1, end);
                return true;
            }
            String second = read(current.second(), current.secondFile());
            if (first == null && second == null) {
                closePart();
                continue;
            }
            if (first == null || second == null) {
                long firstLines = current.first().lineNumber() + count(current.first());
                long secondLines = current.second().lineNumber() + count(current.second());
                throw new InputError(current.firstFile() + " has " + firstLines + " lines but " + current.secondFile()
                        + " has " + secondLines + ": the files must be line-aligned");
            }
            source = first;
            target = second;
            return true;
        }
    }

    /** The reader's next line; a failed read names the file it came from. */
    private static String read(LineReader reader, Path file) {
        try {
            return reader.next();
        } catch (IOException e) {
            throw TextFiles.cannotRead(file, e);
        }
    }

    private static long count(LineReader reader) throws IOException {
        long n = 0;
        while (reader.next() != null) {
            n++;
        }
        return n;
    }

    private boolean openNext() {
        if (part + 1 >= parts.size()) {
            return false;
        }
        part++;
        String p = parts.get(part);
        if (CorpusPaths.isTsv(p)) {
            Path file = Path.of(p);
            CountingInput counted = new CountingInput(TextFiles.rawInput(file));
            current = new Open(new LineReader(TextFiles.decompressed(file, counted), file.toString()), null, counted,
                    file, null);
        } else {
            Path first = CorpusPaths.side(p, srcLang);
            Path second = CorpusPaths.side(p, trgLang);
            CountingInput counted = new CountingInput(TextFiles.rawInput(first));
            CountingInput secondCounted = new CountingInput(TextFiles.rawInput(second));
            counted.partner = secondCounted;
            current = new Open(new LineReader(TextFiles.decompressed(first, counted), first.toString()),
                    new LineReader(TextFiles.decompressed(second, secondCounted), second.toString()), counted, first,
                    second);
        }
        return true;
    }

    private void closePart() throws IOException {
        finishedBytes += current.counted().count();
        current.close();
        current = null;
    }

    public String source() {
        return source;
    }

    public String target() {
        return target;
    }

    /** The share of the split's file bytes read so far, 0 to 1. */
    public double fractionRead() {
        long read = finishedBytes + (current == null ? 0 : current.counted().count());
        return totalBytes == 0 ? 1 : Math.min(1, (double) read / totalBytes);
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** Counts the bytes taken from a file (and its partner's, for two aligned files). */
    static final class CountingInput extends InputStream {
        private final InputStream in;
        private long count;
        private CountingInput partner;

        CountingInput(InputStream in) {
            this.in = in;
        }

        long count() {
            return count + (partner == null ? 0 : partner.count);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
