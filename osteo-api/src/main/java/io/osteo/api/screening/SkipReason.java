package io.osteo.api.screening;

/** Why a vertebra present in the label map was not screened. */
public enum SkipReason {
    /** Cut by the scan's cranial or caudal edge: too little of the body is in view. */
    PARTIAL_AT_SCAN_EDGE,
    /** Too few voxels / too small a volume to be a whole vertebra. */
    TOO_SMALL,
    /** The mask is not a plausible vertebra (flat, or no trabecular core left after erosion). */
    DEGENERATE_MASK,
    /** A vertebra outside the model's T1..L6 range (for example VerSe's T13). */
    UNSUPPORTED_LEVEL
}
