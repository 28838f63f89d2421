package nmt.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** Config sections for tests, from key/value pairs as a config file spells them; a null value is left out. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static ModelConfig model(Object... keysAndValues) {
        return ConfigLoader.section(ModelConfig.class, map(keysAndValues));
    }

    public static TrainingConfig training(Object... keysAndValues) {
        return ConfigLoader.section(TrainingConfig.class, map(keysAndValues));
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
