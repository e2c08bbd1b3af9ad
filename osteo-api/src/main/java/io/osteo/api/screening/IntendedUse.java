package io.osteo.api.screening;

import io.osteo.api.anatomy.VertebraLevel;
import java.util.List;
import java.util.Objects;

/**
 * The limits of a report, stated in the report itself so that they travel with it.
 *
 * @param statement the intended-use text
 * @param coveredLevels the vertebrae the decision is based on
 * @param notCovered vertebrae present in the input that were not screened (skipped), by name
 */
public record IntendedUse(String statement, List<VertebraLevel> coveredLevels, List<String> notCovered) {

    /** The standard statement every OsteoScreen report carries. */
    public static final String STATEMENT = "Research use only; not a medical device and not a diagnosis. "
            + "A POSITIVE result flags possibly low bone mineral density and is a reason to consider DXA; "
            + "a NEGATIVE result does not rule osteoporosis out. Only the covered vertebrae were assessed. "
            + "Models trained on the synthetic cohort are demonstrations without clinical validity.";

    public IntendedUse {
        Objects.requireNonNull(statement, "statement");
        coveredLevels = coveredLevels == null ? List.of() : List.copyOf(coveredLevels);
        notCovered = notCovered == null ? List.of() : List.copyOf(notCovered);
    }

    /** The standard statement with the given coverage. */
    public static IntendedUse standard(List<VertebraLevel> covered, List<String> notCovered) {
        return new IntendedUse(STATEMENT, covered, notCovered);
    }
}
