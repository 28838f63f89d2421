package nmt.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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

    /**
     * All lines of a file: split on LF only (a CR before it is dropped), a leading byte-order mark
     * removed, no extra empty line for a final newline. Invalid UTF-8 is an error naming the line.
     */
    public static List<String> readLines(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputError(file + ": file not found");
        } catch (IOException e) {
            throw new InputError(file + ": cannot read (" + e.getMessage() + ")");
        }
        return decodeLines(bytes, file.toString());
    }

    /** The same for bytes from elsewhere (standard input); {@code name} goes into messages. */
    public static List<String> decodeLines(byte[] bytes, String name) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int contentEnd = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            try {
                lines.add(decoder.decode(ByteBuffer.wrap(bytes, start, contentEnd - start)).toString());
            } catch (CharacterCodingException e) {
                throw new InputError(name + ":" + (lines.size() + 1) + ": invalid UTF-8");
            }
            start = end + 1;
        }
        return lines;
    }
}
