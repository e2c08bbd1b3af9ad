package io.osteo.train.cohort;

import io.osteo.api.InvalidInputException;

/** Range checks for cohort configuration values; messages name the JSON field. */
final class ConfigChecks {
    private ConfigChecks() {}

    static double range(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new InvalidInputException("cohort config: " + field + " = " + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidInputException("cohort config: " + field + " = " + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    static double[] array(String field, double[] values, int length, double min, double max) {
        if (values == null || values.length != length) {
            throw new InvalidInputException("cohort config: " + field + " needs " + length + " values, got "
                    + (values == null ? "none" : values.length));
        }
        for (int i = 0; i < values.length; i++) {
            range(field + "[" + i + "]", values[i], min, max);
        }
        return values.clone();
    }

    static <T> T present(String field, T value) {
        if (value == null) {
            throw new InvalidInputException("cohort config: " + field + " is missing");
        }
        return value;
    }
}
