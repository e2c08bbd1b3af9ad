package io.osteo.train.prepare;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.anatomy.Sex;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.progress.ProgressListener;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.SkippedVertebra;
import io.osteo.api.screening.Study;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.model.packaging.InputSpec;
import io.osteo.model.packaging.Normalization;
import io.osteo.model.packaging.Preprocessing;
import io.osteo.radiomics.roi.RoiExtraction;
import io.osteo.radiomics.roi.VertebraRoi;
import io.osteo.radiomics.roi.VertebraRoiExtractor;
import io.osteo.train.manifest.Csv;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.ManifestWriter;
import io.osteo.train.manifest.Split;
import io.osteo.train.reproduce.ReproductionBudget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code osteo prepare}: turns a hospital's CTs, vertebra label maps and DXA results into a cohort
 * the trainers read (the synthetic generator's manifest format: {@code manifest.csv}, one {@code .nii.gz}
 * patch and body mask per vertebra), cut by the screener's own ROI extractor with the model's
 * {@link Preprocessing}, which is recorded as {@value Preprocessing#FILE_NAME} next to the manifest.
 *
 * <p>Inputs: {@code cts.csv} with columns {@code patient_id, site, ct, seg, label_scheme, level, sex, age}
 * ({@code ct}: NIfTI, NRRD or a DICOM folder; {@code label_scheme}: totalsegmentator, verse or binary
 * with {@code level}); {@code dxa.csv} with {@code patient_id, level, dxa_device, bmd, t_score}. Paths
 * are relative to the CSV's folder. A vertebra is labelled osteoporotic when its T-score is &lt;= -2.5.
 *
 * <p>Splits are by patient (seeded shuffle): whole sites named as external go to {@code external};
 * the other labelled patients to train / valid / test by the fractions; vertebrae without DXA go to
 * the pretraining pool. {@code prepare-report.json} lists per CT what was cut and what was skipped
 * and why, DXA rows without a CT, DXA rows whose vertebra was not cut, and CTs without DXA.
 * Not thread-safe (one preparation per instance).
 */
public final class CohortPreparer {

    /** Columns of cts.csv. */
    public static final List<String> CT_COLUMNS = List.of("patient_id", "site", "ct", "seg", "label_scheme", "level",
            "sex", "age");
    /** Columns of dxa.csv. */
    public static final List<String> DXA_COLUMNS = List.of("patient_id", "level", "dxa_device", "bmd", "t_score");
    /** Voxel-size range of the source CTs, written next to the manifest (the training envelope reads it). */
    public static final String SOURCE_SPACING_FILE = "source-spacing.json";
    /** Name of the report written next to the manifest. */
    public static final String REPORT_FILE = "prepare-report.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path cts;
    private final Path dxa;
    private final Preprocessing preprocessing;
    private final long seed;
    private final double validFraction;
    private final double testFraction;
    private final Set<String> externalSites;
    private final ProgressListener progress;

    private CohortPreparer(Builder b) {
        this.cts = b.cts;
        this.dxa = b.dxa;
        this.preprocessing = b.preprocessing;
        this.seed = b.seed;
        this.validFraction = b.validFraction;
        this.testFraction = b.testFraction;
        this.externalSites = Set.copyOf(b.externalSites);
        this.progress = b.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The preprocessing of models trained by a {@link ReproductionBudget} with HU window {@code window}
     * (cubic patch of the budget's edge; 2D budgets see its axial mid-slice): prepare a cohort with it
     * to fine-tune with that budget.
     */
    public static Preprocessing preprocessingOf(ReproductionBudget budget, Normalization window) {
        List<Integer> shape = budget.patchShape();
        return new Preprocessing(shape, InputSpec.ofCohortPatches(Collections.nCopies(shape.size(), budget.spacingMm()),
                window, budget.patchSize()));
    }

    /**
     * Voxel-size range of the CTs a cohort was cut from ({@value #SOURCE_SPACING_FILE}).
     *
     * @param inPlaneMm [min, max] in-plane voxel size (mm)
     * @param sliceMm [min, max] slice spacing (mm)
     */
    public record SourceSpacing(List<Double> inPlaneMm, List<Double> sliceMm) {}

    /** The source spacing recorded in {@code cohortFolder}, if it was prepared by this class. */
    public static java.util.Optional<SourceSpacing> sourceSpacing(Path cohortFolder) {
        Path f = cohortFolder.resolve(SOURCE_SPACING_FILE);
        if (!Files.isRegularFile(f)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), SourceSpacing.class));
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(f + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** The preprocessing recorded in {@code cohortFolder} by {@code prepare}, if any. */
    public static java.util.Optional<Preprocessing> recordedPreprocessing(Path cohortFolder) {
        Path f = cohortFolder.resolve(Preprocessing.FILE_NAME);
        if (!Files.isRegularFile(f)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Preprocessing.fromJson(Files.readString(f, StandardCharsets.UTF_8), f.toString()));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    /** What one CT gave. */
    public record CtOutcome(String patientId, String site, String ct, List<String> cut, List<SkippedVertebra> skipped,
            List<String> notes, String error) {}

    /**
     * The summary written as {@value #REPORT_FILE}.
     *
     * @param manifest the manifest written
     * @param vertebrae manifest rows by split name
     * @param cts per-CT outcomes
     * @param dxaWithoutCt DXA rows whose patient has no CT
     * @param dxaNotCut DXA rows whose vertebra was not cut (skipped or absent from the label map)
     * @param ctsWithoutDxa CTs whose patient has no DXA row (all their vertebrae went to pretraining)
     * @param preprocessing the preprocessing file
     */
    public record Result(Path manifest, Map<String, Integer> vertebrae, List<CtOutcome> cts, List<String> dxaWithoutCt,
            List<String> dxaNotCut, List<String> ctsWithoutDxa, Path preprocessing) {}

    private record CtRow(int line, String patientId, String site, Path ct, Path seg, LabelScheme scheme, Sex sex,
            Integer age) {}

    private record DxaRow(int line, String patientId, VertebraLevel level, DxaDevice device, double bmd, double tScore) {}

    /** Cuts every CT into {@code out}; returns what was written (also as {@value #REPORT_FILE}). */
    public Result prepare(Path out) {
        List<CtRow> ctRows = readCts();
        Map<String, Map<VertebraLevel, DxaRow>> dxaRows = readDxa();
        Path patches = out.resolve("patches");
        try {
            Files.createDirectories(patches);
        } catch (IOException e) {
            throw new OsteoException("cannot create " + patches + ": " + e.getMessage(), e);
        }
        writeString(out.resolve(Preprocessing.FILE_NAME), preprocessing.toJson());
        VertebraRoiExtractor extractor = preprocessing.extractor();
        Map<String, Split> splits = splits(ctRows, dxaRows);
        List<ManifestEntry> entries = new ArrayList<>();
        List<CtOutcome> outcomes = new ArrayList<>();
        Set<String> cutKeys = new LinkedHashSet<>();
        double[] range = {Double.MAX_VALUE, 0, Double.MAX_VALUE, 0}; // in-plane min, max; slice min, max
        progress.started("prepare", ctRows.size());
        for (int i = 0; i < ctRows.size(); i++) {
            CtRow row = ctRows.get(i);
            List<String> cut = new ArrayList<>();
            String tag = String.format(Locale.ROOT, "%s_ct%03d", safe(row.patientId()), row.line());
            try {
                Volume ct = VolumeIo.readVolume(row.ct());
                LabelMap seg = VolumeIo.readLabels(row.seg());
                VolumeIo.requireSameGrid(ct, seg, row.ct().toString(), row.seg().toString());
                RoiExtraction x = extractor.extract(Study.of(tag, ct, seg, row.scheme()));
                if (!x.rois().isEmpty()) {
                    var g = ct.geometry();
                    range[0] = Math.min(range[0], Math.min(g.spacing(0), g.spacing(1)));
                    range[1] = Math.max(range[1], Math.max(g.spacing(0), g.spacing(1)));
                    range[2] = Math.min(range[2], g.spacing(2));
                    range[3] = Math.max(range[3], g.spacing(2));
                }
                Map<VertebraLevel, DxaRow> dx = dxaRows.getOrDefault(row.patientId(), Map.of());
                for (VertebraRoi roi : x.rois()) {
                    Path image = patches.resolve(tag + "_" + roi.level() + ".nii.gz");
                    Path mask = patches.resolve(tag + "_" + roi.level() + "_mask.nii.gz");
                    VolumeIo.writeNifti(roi.patch(), image);
                    int[] m = roi.patchMask().toArray();
                    for (int k = 0; k < m.length; k++) {
                        m[k] = m[k] == VertebraRoi.BODY ? 1 : 0;
                    }
                    VolumeIo.writeNifti(LabelMap.wrap(roi.patchMask().geometry(), m), mask);
                    DxaRow d = dx.get(roi.level());
                    Split split = d == null ? Split.PRETRAIN : splits.get(row.patientId());
                    entries.add(new ManifestEntry(row.patientId(), row.site(), split,
                            d == null ? DxaDevice.UNKNOWN : d.device(), roi.level(), image, mask,
                            d == null ? null : d.bmd(), d == null ? null : d.tScore(),
                            d == null ? null : d.tScore() <= -2.5, row.age(), row.sex()));
                    cut.add(roi.level() + (d == null ? " (no DXA: pretraining)" : " (" + split.manifestName() + ")"));
                    cutKeys.add(row.patientId() + "/" + roi.level());
                }
                outcomes.add(new CtOutcome(row.patientId(), row.site(), row.ct().toString(), cut, x.skipped(), x.notes(),
                        null));
            } catch (OsteoException e) {
                outcomes.add(new CtOutcome(row.patientId(), row.site(), row.ct().toString(), cut, List.of(), List.of(),
                        "cts.csv line " + row.line() + ": " + e.getMessage()));
            }
            progress.progressed("prepare", i + 1, ctRows.size(), row.ct().getFileName().toString());
        }
        progress.finished("prepare", entries.size() + " vertebrae");
        Set<String> ctPatients = new TreeSet<>();
        ctRows.forEach(r -> ctPatients.add(r.patientId()));
        List<String> dxaWithoutCt = new ArrayList<>();
        List<String> dxaNotCut = new ArrayList<>();
        for (var p : dxaRows.entrySet()) {
            for (DxaRow d : p.getValue().values()) {
                String what = "dxa.csv line " + d.line() + ": patient " + d.patientId() + " " + d.level();
                if (!ctPatients.contains(p.getKey())) {
                    dxaWithoutCt.add(what + ": no CT of this patient");
                } else if (!cutKeys.contains(p.getKey() + "/" + d.level())) {
                    dxaNotCut.add(what + ": vertebra not cut (skipped or not in the label map; see cts)");
                }
            }
        }
        List<String> ctsWithoutDxa = new ArrayList<>();
        for (CtRow r : ctRows) {
            if (!dxaRows.containsKey(r.patientId())) {
                ctsWithoutDxa.add("cts.csv line " + r.line() + ": patient " + r.patientId() + " has no DXA row: its"
                        + " vertebrae are in the pretraining pool only");
            }
        }
        Path manifest = out.resolve("manifest.csv");
        if (range[1] > 0) {
            writeString(out.resolve(SOURCE_SPACING_FILE), GSON.toJson(new SourceSpacing(List.of(range[0], range[1]),
                    List.of(range[2], range[3]))));
        }
        ManifestWriter.write(manifest, entries);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            counts.put(s.manifestName(), (int) entries.stream().filter(e -> e.split() == s).count());
        }
        Result result = new Result(manifest, counts, outcomes, dxaWithoutCt, dxaNotCut, ctsWithoutDxa,
                out.resolve(Preprocessing.FILE_NAME));
        writeString(out.resolve(REPORT_FILE), GSON.toJson(reportJson(result)));
        return result;
    }

    private Map<String, Object> reportJson(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("manifest", r.manifest().toString());
        m.put("preprocessing", r.preprocessing().toString());
        m.put("seed", seed);
        m.put("vertebrae", r.vertebrae());
        m.put("cts", r.cts());
        m.put("dxaWithoutCt", r.dxaWithoutCt());
        m.put("dxaNotCut", r.dxaNotCut());
        m.put("ctsWithoutDxa", r.ctsWithoutDxa());
        return m;
    }

    /** Labelled patients (with DXA and a CT) to splits, seeded; external sites whole. */
    private Map<String, Split> splits(List<CtRow> ctRows, Map<String, Map<VertebraLevel, DxaRow>> dxa) {
        Map<String, Split> out = new HashMap<>();
        List<String> internal = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (CtRow r : ctRows) {
            if (!dxa.containsKey(r.patientId()) || !seen.add(r.patientId())) {
                continue;
            }
            if (externalSites.contains(r.site())) {
                out.put(r.patientId(), Split.EXTERNAL);
            } else {
                internal.add(r.patientId());
            }
        }
        Collections.sort(internal);
        Collections.shuffle(internal, new Random(seed));
        int n = internal.size();
        int nValid = (int) Math.round(validFraction * n);
        int nTest = (int) Math.round(testFraction * n);
        for (int i = 0; i < n; i++) {
            out.put(internal.get(i), i < nValid ? Split.VALID : i < nValid + nTest ? Split.TEST : Split.TRAIN);
        }
        return out;
    }

    private List<CtRow> readCts() {
        List<Map<String, String>> rows = readCsv(cts, CT_COLUMNS);
        Path base = cts.toAbsolutePath().getParent();
        List<CtRow> out = new ArrayList<>();
        for (Map<String, String> r : rows) {
            int line = Integer.parseInt(r.get("#line"));
            String where = cts + " line " + line;
            try {
                String levelText = r.get("level");
                VertebraLevel binary = levelText.isBlank() ? null : VertebraLevel.parse(levelText);
                LabelScheme scheme = LabelScheme.parse(r.get("label_scheme").isBlank() ? "totalsegmentator"
                        : r.get("label_scheme"), binary);
                String age = r.get("age");
                out.add(new CtRow(line, required(r, "patient_id", where), required(r, "site", where),
                        base.resolve(required(r, "ct", where)), base.resolve(required(r, "seg", where)), scheme,
                        r.get("sex").isBlank() ? null : Sex.parse(r.get("sex")),
                        age.isBlank() ? null : (int) Math.round(Double.parseDouble(age))));
            } catch (NumberFormatException e) {
                throw new InvalidInputException(where + ": age '" + r.get("age") + "' is not a number");
            } catch (InvalidInputException e) {
                throw e.getMessage().startsWith(cts.toString()) ? e : new InvalidInputException(where + ": " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(cts + " lists no CT");
        }
        return out;
    }

    private Map<String, Map<VertebraLevel, DxaRow>> readDxa() {
        Map<String, Map<VertebraLevel, DxaRow>> out = new LinkedHashMap<>();
        if (dxa == null) {
            return out;
        }
        for (Map<String, String> r : readCsv(dxa, DXA_COLUMNS)) {
            int line = Integer.parseInt(r.get("#line"));
            String where = dxa + " line " + line;
            try {
                String patient = required(r, "patient_id", where);
                VertebraLevel level = VertebraLevel.parse(required(r, "level", where));
                DxaDevice device = DxaDevice.parse(required(r, "dxa_device", where));
                if (device == DxaDevice.UNKNOWN) {
                    throw new InvalidInputException("dxa_device must be a known DXA device, got UNKNOWN");
                }
                double bmd = Double.parseDouble(required(r, "bmd", where));
                double t = Double.parseDouble(required(r, "t_score", where));
                if (!(bmd > 0.2 && bmd < 2.5) || !(t > -10 && t < 10)) {
                    throw new InvalidInputException("bmd " + bmd + " g/cm^2 / t_score " + t
                            + " outside the physical range (0.2..2.5 g/cm^2, -10..10)");
                }
                DxaRow prev = out.computeIfAbsent(patient, k -> new LinkedHashMap<>()).put(level,
                        new DxaRow(line, patient, level, device, bmd, t));
                if (prev != null) {
                    throw new InvalidInputException("patient " + patient + " " + level + " has a second DXA row (first"
                            + " on line " + prev.line() + ")");
                }
            } catch (NumberFormatException e) {
                throw new InvalidInputException(where + ": bmd / t_score must be numbers: " + e.getMessage());
            } catch (InvalidInputException e) {
                throw e.getMessage().startsWith(where) ? e : new InvalidInputException(where + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static String required(Map<String, String> r, String column, String where) {
        String v = r.get(column);
        if (v == null || v.isBlank()) {
            throw new InvalidInputException(where + ": column " + column + " is empty");
        }
        return v.trim();
    }

    private static List<Map<String, String>> readCsv(Path file, List<String> columns) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new InvalidInputException(file + " is empty (expected a header " + String.join(",", columns) + ")");
        }
        List<String> header = Csv.split(lines.get(0).replace("\uFEFF", ""));
        List<String> names = header == null ? List.of() : header.stream().map(s -> s.trim().toLowerCase(Locale.ROOT))
                .toList();
        List<String> missing = columns.stream().filter(c -> !names.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new InvalidInputException(file + ": header lacks column(s) " + missing + " (expected "
                    + String.join(",", columns) + ")");
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> f = Csv.split(lines.get(i));
            if (f == null || f.size() != names.size()) {
                throw new InvalidInputException(file + " line " + (i + 1) + ": expected " + names.size() + " fields, got "
                        + (f == null ? "an unclosed quote" : f.size()));
            }
            Map<String, String> row = new HashMap<>();
            for (int c = 0; c < names.size(); c++) {
                row.put(names.get(c), f.get(c).trim());
            }
            row.put("#line", String.valueOf(i + 1));
            out.add(row);
        }
        return out;
    }

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static void writeString(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OsteoException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Settings. Defaults: the {@code cpu} budget's preprocessing with the bone window, seed 1,
     * valid 0.2 and test 0.2 of the internal labelled patients, no external site.
     */
    public static final class Builder {
        private Path cts;
        private Path dxa;
        private Preprocessing preprocessing = preprocessingOf(ReproductionBudget.cpu(), Normalization.boneWindow());
        private long seed = 1;
        private double validFraction = 0.2;
        private double testFraction = 0.2;
        private Set<String> externalSites = Set.of();
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() {}

        /** The CT table (cts.csv). */
        public Builder cts(Path file) {
            this.cts = file;
            return this;
        }

        /** The DXA table (dxa.csv), or null: every vertebra goes to the pretraining pool. */
        public Builder dxa(Path file) {
            this.dxa = file;
            return this;
        }

        /** The preprocessing the patches are cut with (that of the models to be trained). */
        public Builder preprocessing(Preprocessing value) {
            this.preprocessing = value;
            return this;
        }

        /** Seed of the patient split. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Fractions of the internal labelled patients in valid and test (the rest train). */
        public Builder fractions(double valid, double test) {
            if (!(valid > 0 && test >= 0 && valid + test < 1)) {
                throw new InvalidInputException("split fractions valid " + valid + " / test " + test
                        + " must be > 0 / >= 0 and leave patients for training");
            }
            this.validFraction = valid;
            this.testFraction = test;
            return this;
        }

        /** Sites whose patients are held out whole as the external split. */
        public Builder externalSites(Set<String> sites) {
            this.externalSites = Set.copyOf(sites);
            return this;
        }

        public Builder progress(ProgressListener listener) {
            this.progress = listener == null ? ProgressListener.NONE : listener;
            return this;
        }

        public CohortPreparer build() {
            if (cts == null) {
                throw new InvalidInputException("prepare needs a CT table (cts.csv)");
            }
            if (preprocessing == null) {
                throw new InvalidInputException("prepare needs a preprocessing");
            }
            return new CohortPreparer(this);
        }
    }
}
