package nmt.serve;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The upload of LibreTranslate's {@code POST /translate_file}: a {@code .txt} or an {@code .html} in UTF-8. */
final class TranslatedFile {
    private TranslatedFile() {
    }

    /** An uploaded file, read and cut into sentences, with the pair it goes to. */
    record Upload(String name, String contentType, String text, Translatable unit, String source, String target) {
    }

    /** Reads the multipart fields {@code file}, {@code source} and {@code target}; refusals in LibreTranslate's words. */
    static Upload read(Context ctx, RequestFields fields) {
        UploadedFile file;
        try {
            file = ctx.isMultipartFormData() ? ctx.uploadedFile("file") : null;
        } catch (Exception e) {
            // Jetty's multipart parser fails (an IOException among others) on a malformed body: the client's error.
            throw ApiError.badRequest("cannot read the form fields: " + e.getMessage());
        }
        if (file == null) {
            throw RequestFields.missing("file");
        }
        String source = fields.required("source");
        String target = fields.required("target");
        String name = file.filename();
        if (name == null || name.isBlank() || file.size() == 0) {
            throw ApiError.badRequest("Invalid request: empty file");
        }
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
        if (!TranslationServer.FILE_FORMATS.contains(extension)) {
            throw ApiError.badRequest("Invalid request: file format not supported");
        }
        String text = utf8(file, name);
        boolean plain = extension.equals(".txt");
        Translatable unit = plain ? Segments.split(text) : HtmlText.parse(text, "file " + name);
        return new Upload(name, plain ? "text/plain; charset=utf-8" : "text/html; charset=utf-8", text, unit,
                source, target);
    }

    /** The file's text; a byte that is not UTF-8 is refused with its offset. */
    private static String utf8(UploadedFile file, String name) {
        byte[] bytes;
        try (InputStream in = file.content()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw ApiError.badRequest("file " + name + " is not UTF-8 text: byte " + (in.position() + 1)
                    + " cannot start or continue a character");
        }
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
