package io.osteo.api.screening;

/** Screening decision for a vertebra or a patient. */
public enum Decision {
    /** Flags possible low BMD (osteoporosis at the operating point): a reason to order a DXA. */
    POSITIVE,
    /** Not flagged; does not rule osteoporosis out. */
    NEGATIVE,
    /** No decision: the vertebra was measured but not used by this screener, or nothing was assessable. */
    NOT_ASSESSED
}
