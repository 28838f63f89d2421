package nmt.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import nmt.InputError;

/**
 * Reads a JSON config into {@link Config}: strict about unknown keys and types, with
 * {@code key.path=value} overrides applied before validation, so they are checked the same way.
 */
public final class ConfigLoader {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ConfigLoader() {
    }

    public static Config load(Path file) {
        return load(file, List.of());
    }

    /** @param overrides {@code key.path=value}; the value is read as JSON, or as a string if it is not JSON */
    public static Config load(Path file, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InputError("config file " + file + " not found");
        } catch (IOException e) {
            throw new InputError("cannot read config file " + file + ": " + e.getMessage());
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InputError(file + ": invalid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new InputError(file + ": the config must be a JSON object");
        }
        for (String override : overrides) {
            applyOverride((ObjectNode) tree, override);
        }
        try {
            return bind(tree).validate();
        } catch (InputError e) {
            throw new InputError(file + ": " + e.getMessage());
        }
    }

    /** Binds a JSON tree to a config, with errors that name the JSON path. */
    static Config bind(JsonNode tree) {
        try {
            return MAPPER.treeToValue(tree, Config.class);
        } catch (UnrecognizedPropertyException e) {
            String path = path(e);
            String hint = closest(e.getPropertyName(), e.getKnownPropertyIds());
            throw new InputError("unknown key " + path + (hint == null ? "" : " (did you mean " + hint + "?)"));
        } catch (MismatchedInputException e) {
            throw new InputError(path(e) + " has the wrong type: expected " + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw new InputError(path(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InputError(e.getOriginalMessage());
        }
    }

    public static String toJson(Config config) {
        try {
            return MAPPER.writeValueAsString(config) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a config always serialises", e);
        }
    }

    private static void applyOverride(ObjectNode root, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new InputError("--set needs key.path=value, got \"" + override + "\"");
        }
        String[] keys = override.substring(0, eq).trim().split("\\.");
        String raw = override.substring(eq + 1);
        JsonNode value;
        try {
            value = MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            value = null;
        }
        if (value == null || value.isMissingNode()) {
            value = TextNode.valueOf(raw);
        }
        ObjectNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = node.get(keys[i]);
            if (child == null || !child.isObject()) {
                child = JsonNodeFactory.instance.objectNode();
                node.set(keys[i], child);
            }
            node = (ObjectNode) child;
        }
        node.set(keys[keys.length - 1], value);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (Number.class.isAssignableFrom(type)) {
            return type == Double.class ? "a number" : "an integer";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == CorpusPaths.class) {
            return "a path or a list of paths";
        }
        return "an object";
    }

    /** The known key nearest to a misspelt one, if any is near enough to be a likely typo. */
    static String closest(String key, Collection<Object> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Object candidate : known) {
            String name = candidate.toString();
            int d = editDistance(key, name);
            if (d < bestDistance) {
                bestDistance = d;
                best = name;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
