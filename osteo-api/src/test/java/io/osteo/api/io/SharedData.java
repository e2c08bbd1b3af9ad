package io.osteo.api.io;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the read-only shared data folder that Surefire passes as {@code osteo.shared.dir}. */
final class SharedData {
    private SharedData() {
    }

    static Path file(String relative) {
        String dir = System.getProperty("osteo.shared.dir");
        if (dir == null) {
            throw new IllegalStateException("system property osteo.shared.dir is not set (run the tests through Maven)");
        }
        Path p = Path.of(dir).resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("shared test file missing: " + p + " (osteo.shared.dir = " + dir + ")");
        }
        return p;
    }
}
