package io.osteo.api.screening;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.osteo.api.InvalidInputException;

/**
 * JSON form of {@link ScreeningReport}, schema {@value ScreeningReport#SCHEMA_VERSION}
 * ({@code docs/report-schema.md}). Absent values are written as explicit {@code null} so that every
 * key is always present; NaN and infinities cannot occur (the records reject them). Thread-safe.
 */
public final class ScreeningReportJson {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
            .create();

    private ScreeningReportJson() {}

    /** Pretty-printed JSON of {@code report}. */
    public static String toJson(ScreeningReport report) {
        return GSON.toJson(report);
    }

    /**
     * Reads a report written by {@link #toJson}.
     *
     * @throws InvalidInputException if the text is not a report of a supported schema version
     */
    public static ScreeningReport fromJson(String json) {
        try {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            String version = root.has("schemaVersion") && !root.get("schemaVersion").isJsonNull()
                    ? root.get("schemaVersion").getAsString() : null;
            if (version == null || !version.startsWith("1.")) {
                throw new InvalidInputException("screening report JSON has schemaVersion " + version
                        + "; this reader supports 1.x");
            }
            return GSON.fromJson(root, ScreeningReport.class);
        } catch (JsonParseException | IllegalStateException e) {
            throw new InvalidInputException("screening report JSON is malformed: " + e.getMessage(), e);
        }
    }
}
