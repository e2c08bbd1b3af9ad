package io.osteo.train.cohort;

import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.dxa.DxaReference;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.progress.ProgressListener;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.ManifestWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates the synthetic multi-site cohort of {@code shared/specs/synthetic-cohort.md}: latent
 * bone state and DXA labels per vertebra ({@link #plan()}, cheap), CT patches rendered from
 * physics only ({@link #render(VertebraPlan)}), and a cohort folder with {@code .nii.gz} volumes
 * and a manifest ({@link #write(Path)}).
 *
 * <p>Deterministic: the same configuration (seed included) gives the same plan, the same voxels
 * and a byte-identical folder, whatever the thread count, because every patient and vertebra
 * draws from its own seed. Immutable after building; {@link #render} is thread-safe.
 *
 * <pre>{@code
 * SyntheticCohortGenerator gen = SyntheticCohortGenerator.builder()
 *         .preset(CohortPreset.SMALL).seed(42).threads(2).build();
 * Manifest manifest = gen.write(Path.of("cohort"));
 * }</pre>
 */
public final class SyntheticCohortGenerator {
    /** File name of the manifest inside the cohort folder. */
    public static final String MANIFEST_FILE = "manifest.csv";
    /** File name of the full configuration written next to the manifest. */
    public static final String CONFIG_FILE = "cohort.json";
    /**
     * File name of the generator's latent truth written next to the manifest (for the oracle
     * baseline): CSV with the header {@link #LATENT_HEADER}, one row per rendered vertebra
     * (labelled and unlabelled) in manifest order; see the package documentation.
     */
    public static final String LATENT_FILE = "latent.csv";
    /** Header line of {@link #LATENT_FILE} (without the line break). */
    public static final String LATENT_HEADER = "patient_id,level,vbmd_mg_cm3,sbmd_mg_cm2";

    private final CohortConfig config;
    private final DxaReference reference;
    private final int threads;
    private final ProgressListener progress;
    private final VertebraPhantom phantom;
    private volatile List<VertebraPlan> plan;

    private SyntheticCohortGenerator(Builder b) {
        this.config = b.config;
        this.reference = b.reference;
        this.threads = b.threads;
        this.progress = b.progress;
        this.phantom = new VertebraPhantom(config);
    }

    public static Builder builder() {
        return new Builder();
    }

    public CohortConfig config() {
        return config;
    }

    /** Latent state and labels of every vertebra, in manifest order (computed once). */
    public List<VertebraPlan> plan() {
        List<VertebraPlan> p = plan;
        if (p == null) {
            synchronized (this) {
                if (plan == null) {
                    plan = List.copyOf(new CohortPlanner(config, reference).plan());
                }
                p = plan;
            }
        }
        return p;
    }

    /** Renders the CT patch and body mask of one planned vertebra (deterministic per plan). */
    public RenderedVertebra render(VertebraPlan vertebra) {
        if (vertebra == null) {
            throw new InvalidInputException("cannot render a missing vertebra plan");
        }
        return phantom.render(vertebra);
    }

    /**
     * Writes the cohort into {@code folder}: {@code images/<patient>_<level>.nii.gz} (int16 HU),
     * {@code masks/<patient>_<level>_mask.nii.gz}, {@link #MANIFEST_FILE}, {@link #CONFIG_FILE} and
     * the latent truth {@link #LATENT_FILE}.
     *
     * @return the manifest as written (paths resolved)
     */
    public Manifest write(Path folder) {
        List<VertebraPlan> vertebrae = plan();
        Path images = folder.resolve("images");
        Path masks = folder.resolve("masks");
        try {
            Files.createDirectories(images);
            Files.createDirectories(masks);
            Files.writeString(folder.resolve(CONFIG_FILE), config.toJson() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OsteoException("cannot create cohort folder " + folder + ": " + e.getMessage(), e);
        }
        String task = "synthetic cohort";
        progress.started(task, vertebrae.size());
        AtomicLong done = new AtomicLong();
        List<ManifestEntry> entries = new ArrayList<>(vertebrae.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "cohort-writer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ManifestEntry>> futures = new ArrayList<>(vertebrae.size());
            for (VertebraPlan v : vertebrae) {
                futures.add(pool.submit(() -> {
                    ManifestEntry e = writeOne(v, images, masks);
                    long d = done.incrementAndGet();
                    progress.progressed(task, d, vertebrae.size(), v.fileStem());
                    return e;
                }));
            }
            for (Future<ManifestEntry> f : futures) {
                entries.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OsteoException("writing the synthetic cohort to " + folder + " was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof OsteoException oe) {
                throw oe;
            }
            throw new OsteoException("writing the synthetic cohort to " + folder + " failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
        Path manifestFile = folder.resolve(MANIFEST_FILE);
        ManifestWriter.write(manifestFile, entries);
        writeLatent(folder.resolve(LATENT_FILE), vertebrae);
        progress.finished(task, vertebrae.size() + " vertebrae written to " + folder);
        return new Manifest(manifestFile, entries);
    }

    /**
     * The latent truth of the plan as the text of {@link #LATENT_FILE}: header, then one row per
     * vertebra in plan order; vBMD in mg/cm^3 and sBMD converted from g/cm^2 to mg/cm^2, both
     * with 4 decimals ({@link Locale#ROOT}); LF line ends.
     */
    public String latentCsv() {
        List<VertebraPlan> vertebrae = plan();
        StringBuilder sb = new StringBuilder(64 * (vertebrae.size() + 1));
        sb.append(LATENT_HEADER).append('\n');
        for (VertebraPlan v : vertebrae) {
            sb.append(v.patientId()).append(',').append(v.level().name()).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", v.vbmd())).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", v.sbmd() * 1000)).append('\n');
        }
        return sb.toString();
    }

    private void writeLatent(Path file, List<VertebraPlan> vertebrae) {
        try {
            Files.writeString(file, latentCsv(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OsteoException("cannot write the latent truth " + file + ": " + e.getMessage(), e);
        }
    }

    private ManifestEntry writeOne(VertebraPlan v, Path images, Path masks) {
        RenderedVertebra r = render(v);
        Path image = images.resolve(v.fileStem() + ".nii.gz");
        Path mask = masks.resolve(v.fileStem() + "_mask.nii.gz");
        VolumeIo.writeNiftiInt16(r.image(), image);
        VolumeIo.writeNifti(r.mask(), mask);
        return new ManifestEntry(v.patientId(), v.siteId(), v.split(), v.device(), v.level(), image, mask, v.bmd(),
                v.tScore(), v.label(), v.age(), v.sex());
    }

    /** Fluent configuration; start from a preset, then override. Not thread-safe. */
    public static final class Builder {
        private CohortConfig config = CohortPreset.SMALL.config(0);
        private DxaReference reference = DxaReference.defaults();
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() {}

        /** Starts from a preset's configuration, keeping the seed set so far. */
        public Builder preset(CohortPreset preset) {
            this.config = preset.config(config.seed());
            return this;
        }

        /** Replaces the whole configuration. */
        public Builder config(CohortConfig newConfig) {
            if (newConfig == null) {
                throw new InvalidInputException("cohort config is missing");
            }
            this.config = newConfig;
            return this;
        }

        /** Applies JSON overrides to the configuration so far (see {@link CohortConfig#fromJson}). */
        public Builder configJson(String json) {
            this.config = CohortConfig.fromJson(json, config);
            return this;
        }

        public Builder seed(long seed) {
            this.config = config.withSeed(seed);
            return this;
        }

        /** Multiplies the paper's patient counts (1 = paper size). */
        public Builder scale(double scale) {
            this.config = config.withScale(scale);
            return this;
        }

        /** Patch size (voxels per axis) and isotropic spacing (mm). */
        public Builder patch(int size, double spacingMm) {
            this.config = config.withPatch(new PatchSpec(size, spacingMm, config.patch().centreJitterMm()));
            return this;
        }

        /** Young-adult references used for the T-scores (defaults: {@link DxaReference#defaults()}). */
        public Builder reference(DxaReference newReference) {
            if (newReference == null) {
                throw new InvalidInputException("DXA reference is missing");
            }
            this.reference = newReference;
            return this;
        }

        /** Threads used by {@link #write(Path)}; results do not depend on it. */
        public Builder threads(int n) {
            if (n < 1 || n > 1024) {
                throw new InvalidInputException("cohort generator threads = " + n + " is outside 1..1024");
            }
            this.threads = n;
            return this;
        }

        public Builder progress(ProgressListener listener) {
            this.progress = listener == null ? ProgressListener.NONE : listener;
            return this;
        }

        public SyntheticCohortGenerator build() {
            return new SyntheticCohortGenerator(this);
        }
    }
}
