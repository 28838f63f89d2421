package nmt.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a request, read the way LibreTranslate reads them: a JSON object body, or form
 * fields (URL-encoded or multipart), or the query string.
 */
final class RequestFields {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode json;
    private final Context ctx;

    private RequestFields(JsonNode json, Context ctx) {
        this.json = json;
        this.ctx = ctx;
    }

    static RequestFields of(Context ctx) {
        String type = ctx.contentType();
        if (type != null && type.toLowerCase().startsWith("application/json")) {
            JsonNode json;
            try {
                json = JSON.readTree(ctx.body());
            } catch (JsonProcessingException e) {
                throw ApiError.badRequest("invalid JSON body at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
            }
            if (json == null || !json.isObject()) {
                throw ApiError.badRequest("the JSON body must be an object");
            }
            return new RequestFields(json, ctx);
        }
        return new RequestFields(null, ctx);
    }

    /** A field's text, or null when it is absent. */
    String text(String name) {
        if (json != null) {
            JsonNode node = json.get(name);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isValueNode()) {
                throw ApiError.badRequest("field " + name + " must be a string");
            }
            return node.asText();
        }
        String value;
        try {
            value = ctx.formParam(name);
        } catch (Exception e) {
            // Jetty's form parser fails (IOException among others) on a malformed body: the client's error.
            throw ApiError.badRequest("cannot read the form fields: " + e.getMessage());
        }
        return value != null ? value : ctx.queryParam(name);
    }

    /** A field that must be a string when the body is JSON (a number or an object there is the client's mistake). */
    String string(String name) {
        JsonNode node = json == null ? null : json.get(name);
        if (node != null && !node.isNull() && !node.isTextual()) {
            throw ApiError.badRequest("field " + name + " must be a string");
        }
        return text(name);
    }

    String required(String name) {
        String value = string(name);
        if (value == null || value.isBlank()) {
            throw missing(name);
        }
        return value;
    }

    /** An integer field within [min, max], or the default when absent. */
    int integer(String name, int fallback, int min, int max) {
        String value = text(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("field " + name + " must be an integer, got '" + value + "'");
        }
        if (n < min || n > max) {
            throw ApiError.badRequest("field " + name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    boolean flag(String name) {
        String value = text(name);
        return value != null && (value.equalsIgnoreCase("true") || value.equals("1"));
    }

    /** The texts to translate: {@code q} as one string or an array of strings. */
    Texts texts() {
        if (json != null && json.get("q") != null && json.get("q").isArray()) {
            List<String> texts = new ArrayList<>();
            for (JsonNode item : json.get("q")) {
                if (!item.isTextual()) {
                    throw ApiError.badRequest("field q must be a string or an array of strings; item "
                            + (texts.size() + 1) + " is not a string");
                }
                texts.add(item.asText());
            }
            return new Texts(texts, true);
        }
        String q = string("q");
        if (q == null) {
            throw missing("q");
        }
        return new Texts(List.of(q), false);
    }

    /** LibreTranslate's words for a missing field, which its clients match on. */
    static ApiError missing(String name) {
        return ApiError.badRequest("Invalid request: missing " + name + " parameter");
    }

    /** The texts of a request, and whether they came as an array (answered with an array). */
    record Texts(List<String> items, boolean array) {
    }
}
