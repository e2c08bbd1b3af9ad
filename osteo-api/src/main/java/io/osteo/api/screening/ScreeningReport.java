package io.osteo.api.screening;

import io.osteo.api.dxa.DxaDevice;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The result of screening one study: per-vertebra findings, skipped vertebrae with reasons, the
 * patient decision, who computed it with which settings, and the intended-use limits. Immutable;
 * serialised by {@link ScreeningReportJson} to the versioned schema in {@code docs/report-schema.md}.
 *
 * @param schemaVersion JSON schema version ({@link #SCHEMA_VERSION})
 * @param studyId the study's identifier
 * @param screener the screener (model identity and version, compute device)
 * @param settings every setting that shaped the result (operating threshold, HU threshold, patch
 *     spacing, erosion, texture settings ...), by name; values as strings
 * @param reportDevice DXA device scale of the BMD and T-score estimates
 * @param patient patient-level decision
 * @param vertebrae findings for the screened vertebrae, cranial to caudal
 * @param skipped vertebrae present but not screened, with reasons
 * @param notes anything else the caller should know (ignored labels, dropped mask fragments)
 * @param intendedUse the limits of this report
 * @param outOfDistribution each way the study as a whole (voxel size, slice thickness) lies outside
 *     the model's training envelope; empty when inside or when the screener has no envelope
 */
public record ScreeningReport(String schemaVersion, String studyId, ScreenerIdentity screener,
        Map<String, String> settings, DxaDevice reportDevice, PatientResult patient, List<VertebraFinding> vertebrae,
        List<SkippedVertebra> skipped, List<String> notes, IntendedUse intendedUse, List<String> outOfDistribution) {

    /**
     * Version of the JSON schema this class writes; the minor version grows with added fields
     * (1.1: {@code outOfDistribution} per study and vertebra, {@code predictedLevelProbability}),
     * the major one on any incompatible change.
     */
    public static final String SCHEMA_VERSION = "1.1";

    /** A report without study-level out-of-distribution reasons. */
    public ScreeningReport(String schemaVersion, String studyId, ScreenerIdentity screener,
            Map<String, String> settings, DxaDevice reportDevice, PatientResult patient, List<VertebraFinding> vertebrae,
            List<SkippedVertebra> skipped, List<String> notes, IntendedUse intendedUse) {
        this(schemaVersion, studyId, screener, settings, reportDevice, patient, vertebrae, skipped, notes, intendedUse,
                List.of());
    }

    /** True when the study or any vertebra lies outside the model's training envelope. */
    public boolean outsideTrainingEnvelope() {
        return !outOfDistribution.isEmpty() || vertebrae.stream().anyMatch(v -> !v.outOfDistribution().isEmpty());
    }

    public ScreeningReport {
        outOfDistribution = outOfDistribution == null ? List.of() : List.copyOf(outOfDistribution);
        Objects.requireNonNull(schemaVersion, "schemaVersion");
        Objects.requireNonNull(studyId, "studyId");
        Objects.requireNonNull(screener, "screener");
        Objects.requireNonNull(reportDevice, "reportDevice");
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(intendedUse, "intendedUse");
        settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings == null ? Map.of() : settings));
        vertebrae = vertebrae == null ? List.of() : List.copyOf(vertebrae);
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** The finding of {@code level}, if it was screened. */
    public java.util.Optional<VertebraFinding> finding(io.osteo.api.anatomy.VertebraLevel level) {
        return vertebrae.stream().filter(f -> f.level() == level).findFirst();
    }

    /** This report as JSON (schema {@link #SCHEMA_VERSION}). */
    public String toJson() {
        return ScreeningReportJson.toJson(this);
    }
}
