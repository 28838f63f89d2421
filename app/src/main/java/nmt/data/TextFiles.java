package nmt.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nmt.InputError;

/** Reads UTF-8 text files line by line, naming the file and line of any problem. */
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
            throw new InputError(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** A line reader on a file, or an error naming it when it cannot be opened. */
    public static LineReader reader(Path file) {
        try {
            return new LineReader(Files.newInputStream(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new InputError(file + ": file not found");
        } catch (IOException e) {
            throw new InputError(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
