package io.osteo.train.manifest;

import io.osteo.api.InvalidInputException;
import java.nio.file.Path;
import java.util.List;

/**
 * A manifest that cannot be used: unreadable, wrong header, or rows with invalid values. The
 * message names the file and, for each problem, the row (1 = first data row), the CSV line and
 * the field; {@link #problems()} lists them all.
 */
public class ManifestException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ManifestException(Path file, List<String> problems) {
        super(message(file, problems));
        this.problems = List.copyOf(problems);
    }

    public ManifestException(Path file, String problem, Throwable cause) {
        super("manifest " + file + ": " + problem, cause);
        this.problems = List.of(problem);
    }

    /** Every problem found, one per entry ("row 3 (line 4), field bmd: ..."). */
    public List<String> problems() {
        return problems;
    }

    private static String message(Path file, List<String> problems) {
        StringBuilder sb = new StringBuilder("manifest ").append(file).append(" has ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems");
        int shown = Math.min(problems.size(), 20);
        for (int i = 0; i < shown; i++) {
            sb.append("\n  ").append(problems.get(i));
        }
        if (shown < problems.size()) {
            sb.append("\n  ... and ").append(problems.size() - shown).append(" more");
        }
        return sb.toString();
    }
}
