package nmt.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Config sections for tests, from key/value pairs as a config file spells them (unknown keys
 * refused); a null value is left out, so its key takes the default.
 */
public final class TestConfigs {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private TestConfigs() {
    }

    public static ModelConfig model(Object... keysAndValues) {
        return JSON.convertValue(map(keysAndValues), ModelConfig.class);
    }

    public static DecodingConfig decoding(Object... keysAndValues) {
        return JSON.convertValue(map(keysAndValues), DecodingConfig.class);
    }

    public static TrainingConfig training(Object... keysAndValues) {
        return JSON.convertValue(map(keysAndValues), TrainingConfig.class);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }
}
