package io.osteo.train.eval.claims;

/** The outcome of a claim under the pre-declared rules of {@link ClaimsAnalysis}. */
public enum Verdict {
    SUPPORTED("supported"),
    REFUTED("refuted"),
    INCONCLUSIVE("inconclusive");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** Lower-case label for tables. */
    public String label() {
        return label;
    }
}
