package nmt.config;

import java.util.List;
import nmt.InputError;

/** Range and choice checks that name the JSON path of the offending key. */
final class Check {
    private Check() {
    }

    static void required(Object value, String path) {
        if (value == null) {
            throw new InputError("missing required key " + path);
        }
    }

    static void atLeast(Number value, double min, String path) {
        if (value.doubleValue() < min) {
            throw new InputError(path + " must be at least " + plain(min) + ", got " + value);
        }
    }

    static void atMost(Number value, double max, String path) {
        if (value.doubleValue() > max) {
            throw new InputError(path + " must be at most " + plain(max) + ", got " + value);
        }
    }

    /** value in [min, max). */
    static void inHalfOpen(Number value, double min, double max, String path) {
        double v = value.doubleValue();
        if (!(v >= min && v < max)) {
            throw new InputError(path + " must be in [" + plain(min) + ", " + plain(max) + "), got " + value);
        }
    }

    /** value in (min, max]. */
    static void inOpenClosed(Number value, double min, double max, String path) {
        double v = value.doubleValue();
        if (!(v > min && v <= max)) {
            throw new InputError(path + " must be in (" + plain(min) + ", " + plain(max) + "], got " + value);
        }
    }

    static void positive(Number value, String path) {
        if (!(value.doubleValue() > 0)) {
            throw new InputError(path + " must be greater than 0, got " + value);
        }
    }

    static void oneOf(String value, List<String> choices, String path) {
        if (!choices.contains(value)) {
            throw new InputError(path + " must be one of " + String.join(", ", choices) + ", got \"" + value + "\"");
        }
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
