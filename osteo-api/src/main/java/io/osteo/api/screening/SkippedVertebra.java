package io.osteo.api.screening;

import io.osteo.api.anatomy.VertebraLevel;
import java.util.List;
import java.util.Objects;

/**
 * A vertebra of the label map that was not screened, and why.
 *
 * @param vertebra anatomical name ("T11", "T13")
 * @param level the level when it is one of T1..L6, null otherwise (T13)
 * @param labels the label values of this vertebra in the input label map (empty for patches)
 * @param reason category
 * @param detail human-readable specifics ("3 of ~23 mm cranio-caudal extent in view, touches the cranial edge")
 */
public record SkippedVertebra(String vertebra, VertebraLevel level, List<Integer> labels, SkipReason reason,
        String detail) {
    public SkippedVertebra {
        Objects.requireNonNull(vertebra, "vertebra");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        labels = labels == null ? List.of() : List.copyOf(labels);
    }
}
