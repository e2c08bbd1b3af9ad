package io.osteo.model.packaging;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.osteo.api.OsteoException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes {@link ModelDescriptor} JSON files (pretty-printed, UTF-8). Thread-safe. */
public final class DescriptorJson {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    private DescriptorJson() {}

    public static String toJson(ModelDescriptor descriptor) {
        return GSON.toJson(descriptor);
    }

    /**
     * Parses a descriptor; every field is validated by the records' constructors.
     *
     * @throws ModelPackageException naming {@code origin} on malformed JSON or an invalid value
     */
    public static ModelDescriptor fromJson(String json, Path origin) {
        try {
            ModelDescriptor d = GSON.fromJson(json, ModelDescriptor.class);
            if (d == null) {
                throw new ModelPackageException(origin, "descriptor " + ModelDescriptor.FILE_NAME + " is empty");
            }
            return d;
        } catch (ModelPackageException e) {
            throw e;
        } catch (RuntimeException e) {
            // Gson wraps the records' validation errors: report the innermost OsteoException if any
            Throwable reason = e;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof OsteoException) {
                    reason = t;
                    break;
                }
            }
            String what = reason instanceof OsteoException ? reason.getMessage()
                    : (e instanceof JsonParseException ? "malformed JSON (" + e.getMessage() + ")" : e.toString());
            throw new ModelPackageException(origin, "descriptor " + ModelDescriptor.FILE_NAME + " is invalid: " + what,
                    e);
        }
    }

    /** Reads {@code directory/osteoscreen-model.json}. */
    public static ModelDescriptor read(Path directory) {
        Path file = directory.resolve(ModelDescriptor.FILE_NAME);
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelPackageException(directory, "descriptor " + ModelDescriptor.FILE_NAME + " is missing", e);
        } catch (IOException e) {
            throw new ModelPackageException(directory, "cannot read descriptor " + ModelDescriptor.FILE_NAME + ": "
                    + e.getMessage(), e);
        }
        return fromJson(json, directory);
    }

    static void write(Path directory, ModelDescriptor descriptor) {
        try {
            Files.writeString(directory.resolve(ModelDescriptor.FILE_NAME), toJson(descriptor), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelPackageException(directory, "cannot write descriptor: " + e.getMessage(), e);
        }
    }
}
