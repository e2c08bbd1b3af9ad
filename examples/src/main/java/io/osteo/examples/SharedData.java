package io.osteo.examples;

import io.osteo.api.InvalidInputException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository's read-only {@code shared/} folder (the real CT the quickstart screens):
 * the system property {@code osteo.shared.dir} when set, else {@code ../shared} next to the
 * checkout this program was built in (found from the location of its classes, so it does not
 * depend on the working directory). Stateless.
 */
public final class SharedData {

    private SharedData() {}

    /** The shared folder. */
    public static Path folder() {
        String property = System.getProperty("osteo.shared.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        try {
            Path here = Path.of(SharedData.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (Path p = here; p != null; p = p.getParent()) {
                Path candidate = p.resolveSibling("shared");
                if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the error below
        }
        throw new InvalidInputException("cannot find the shared/ folder next to the checkout; set -Dosteo.shared.dir=DIR "
                + "or pass --ct and --seg");
    }

    /** {@code shared/data/totalsegmentator}: the real CT and its TotalSegmentator label map. */
    public static Path totalSegmentatorFolder() {
        return folder().resolve("data").resolve("totalsegmentator");
    }
}
