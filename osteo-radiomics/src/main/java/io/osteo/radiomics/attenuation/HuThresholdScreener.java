package io.osteo.radiomics.attenuation;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.screening.AggregationRule;
import io.osteo.api.screening.Decision;
import io.osteo.api.screening.IntendedUse;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.PatientResult;
import io.osteo.api.screening.ScreenerIdentity;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.SkippedVertebra;
import io.osteo.api.screening.Study;
import io.osteo.api.screening.VertebraFinding;
import io.osteo.radiomics.roi.RoiExtraction;
import io.osteo.radiomics.roi.VertebraRoi;
import io.osteo.radiomics.roi.VertebraRoiExtractor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The screener a site without a trained model can run today: trabecular attenuation of L1 (or the
 * nearest screened level) against an HU threshold (Pickhardt et al. 2013, Ann Intern Med 158:588,
 * 2067 CT-DXA pairs: <= 160 HU about 90% sensitive, <= 110 HU over 90% specific for DXA
 * osteoporosis; performance similar at T12-L5). Default {@value #DEFAULT_THRESHOLD_HU} HU: the
 * sensitive operating point, suited to flagging patients for DXA.
 *
 * <p>Index level: L1 if screened, otherwise the screened level nearest to L1 (ties go caudal,
 * towards the lumbar levels). Only the index vertebra gets a decision; the others carry their HU
 * with decision NOT_ASSESSED. The baseline estimates no probability, BMD, T-score or level: those
 * fields are null with a reason. Stateless apart from settings: thread-safe; holds no native memory.
 */
public final class HuThresholdScreener implements OsteoScreener {

    /** Pickhardt's sensitive threshold (HU), the default. */
    public static final double DEFAULT_THRESHOLD_HU = 160.0;
    /** Pickhardt's specific threshold (HU). */
    public static final double SPECIFIC_THRESHOLD_HU = 110.0;

    private static final String NO_MODEL = "the HU-threshold baseline has no model: ";

    private final double thresholdHu;
    private final AggregationRule aggregation;
    private final DxaDevice reportDevice;
    private final VertebraRoiExtractor extractor;
    private final ScreenerIdentity identity;

    /**
     * @param thresholdHu a vertebra is positive when its mean trabecular HU is <= this
     * @param aggregation patient rule (applied to the index vertebra's decision)
     * @param reportDevice written into the report (the baseline estimates no BMD)
     * @param extractor vertebra ROI extraction (no patch grid needed)
     */
    public HuThresholdScreener(double thresholdHu, AggregationRule aggregation, DxaDevice reportDevice,
            VertebraRoiExtractor extractor) {
        if (!Double.isFinite(thresholdHu)) {
            throw new InvalidInputException("HU threshold " + thresholdHu + " is not finite");
        }
        this.thresholdHu = thresholdHu;
        this.aggregation = Objects.requireNonNull(aggregation, "aggregation");
        this.reportDevice = Objects.requireNonNull(reportDevice, "reportDevice");
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        String version = Objects.requireNonNullElse(HuThresholdScreener.class.getPackage().getImplementationVersion(),
                "development");
        this.identity = new ScreenerIdentity("hu-threshold", "trabecular-attenuation-pickhardt-2013", version,
                "cpu (no model)");
    }

    /** The baseline with the default threshold, any-positive aggregation and the default extractor. */
    public static HuThresholdScreener withDefaults() {
        return new HuThresholdScreener(DEFAULT_THRESHOLD_HU, AggregationRule.anyPositive(), DxaDevice.HOLOGIC,
                VertebraRoiExtractor.builder().build());
    }

    @Override
    public ScreenerIdentity identity() {
        return identity;
    }

    /** The index level for a set of screened levels: L1, else the nearest (ties caudal); null if none. */
    public static VertebraLevel indexLevel(List<VertebraLevel> screened) {
        return screened.stream()
                .min(Comparator.<VertebraLevel>comparingInt(l -> Math.abs(l.position() - VertebraLevel.L1.position()))
                        .thenComparing(Comparator.<VertebraLevel>comparingInt(VertebraLevel::position).reversed()))
                .orElse(null);
    }

    @Override
    public ScreeningReport screen(Study study) {
        Objects.requireNonNull(study, "study");
        RoiExtraction extraction = extractor.extract(study);
        List<VertebraLevel> screened = extraction.rois().stream().map(VertebraRoi::level).toList();
        VertebraLevel index = indexLevel(screened);
        List<String> notes = new ArrayList<>(extraction.notes());
        if (index == null) {
            notes.add("no vertebra could be measured: patient not assessed");
        } else if (index != VertebraLevel.L1) {
            notes.add("L1 not available: index level is " + index
                    + (index.position() < VertebraLevel.T12.position() || index.position() > VertebraLevel.L5.position()
                            ? " (outside T12-L5, where the HU thresholds were validated)" : ""));
        }
        List<VertebraFinding> findings = new ArrayList<>();
        for (VertebraRoi roi : extraction.rois()) {
            Map<String, String> unavailable = new LinkedHashMap<>();
            unavailable.put("probability", NO_MODEL + "it estimates no probability");
            unavailable.put("estimatedBmd", NO_MODEL + "it estimates no areal BMD");
            unavailable.put("estimatedTScore", NO_MODEL + "it estimates no T-score");
            unavailable.put("predictedLevel", NO_MODEL + "no level prediction");
            Decision decision = roi.level() != index ? Decision.NOT_ASSESSED
                    : roi.trabecularHu().meanHu() <= thresholdHu ? Decision.POSITIVE : Decision.NEGATIVE;
            findings.add(new VertebraFinding(roi.level(), roi.labels(), null, decision, null, null, roi.trabecularHu(),
                    null, null, unavailable));
        }
        PatientResult patient = aggregation.aggregate(findings);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("huThreshold", String.valueOf(thresholdHu));
        settings.put("decisionRule", "positive when mean trabecular HU <= huThreshold");
        settings.put("indexLevel", "L1, else nearest screened level (ties caudal)");
        settings.put("aggregation", aggregation.name());
        settings.put("labelScheme", study.scheme().map(s -> s.name()).orElse("patches"));
        settings.putAll(extractor.settings());
        List<VertebraLevel> covered = index == null ? List.of() : List.of(index);
        List<String> notCovered = new ArrayList<>();
        for (SkippedVertebra s : extraction.skipped()) {
            notCovered.add(s.vertebra() + " (" + s.reason() + ")");
        }
        for (VertebraLevel l : screened) {
            if (l != index) {
                notCovered.add(l + " (measured, not used by the HU baseline)");
            }
        }
        return new ScreeningReport(ScreeningReport.SCHEMA_VERSION, study.id(), identity, settings, reportDevice,
                patient, findings, extraction.skipped(), notes, IntendedUse.standard(covered, notCovered));
    }

    @Override
    public void close() {
        // no resources
    }

    @Override
    public String toString() {
        return "HuThresholdScreener[<= " + thresholdHu + " HU, " + aggregation.name() + "]";
    }
}
