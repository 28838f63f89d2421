package nmt.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import nmt.InputError;

/** Reads UTF-8 text files line by line, plain or gzip ({@code .gz}), naming the file and line of any problem. */
public final class TextFiles {
    private TextFiles() {
    }

    /** All lines of a file, read as {@link LineReader} reads them. */
    public static List<String> readLines(Path file) {
        try (LineReader reader = reader(file)) {
            List<String> lines = new ArrayList<>();
            for (String line = reader.next(); line != null; line = reader.next()) {
                lines.add(line);
            }
            return lines;
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /** A line reader on a file, decompressed when its name ends in .gz, or an error naming it when it cannot be opened. */
    public static LineReader reader(Path file) {
        return new LineReader(open(file), file.toString());
    }

    /** The file's bytes, decompressed when its name ends in .gz. */
    public static InputStream open(Path file) {
        return decompressed(file, rawInput(file));
    }

    /** The file's bytes as stored. */
    static InputStream rawInput(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new InputError(file + ": file not found");
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /** The stored bytes of {@code file}, decompressed when its name ends in .gz. */
    static InputStream decompressed(Path file, InputStream stored) {
        if (!file.getFileName().toString().endsWith(".gz")) {
            return stored;
        }
        try {
            return new GZIPInputStream(new BufferedInputStream(stored, 1 << 16), 1 << 16);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /** The error for a read that failed: a broken gzip stream is named as such. */
    static InputError cannotRead(Path file, IOException e) {
        if (e instanceof ZipException || e instanceof EOFException) {
            return new InputError(file + ": not a complete gzip file (" + e.getMessage() + ")");
        }
        return new InputError(file + ": cannot read (" + e.getMessage() + ")");
    }
}
