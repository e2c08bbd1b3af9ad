package io.osteo.api.io.dicom;

import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.progress.ProgressListener;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.Volume;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a DICOM CT series (a folder, or one file of the series) as a {@link Volume} in HU on its
 * LPS grid, per {@code dicom.md}.
 *
 * <p>Files are grouped by SeriesInstanceUID; files that are not DICOM, and DICOM objects without
 * pixel data (structured reports, presentation states), are skipped; localizer images are left out
 * of a series. With several image series a {@link MultipleSeriesException} lists them unless one is
 * chosen ({@link Builder#seriesUid}) or a {@link SeriesSelection} policy is set; a single file
 * selects its own series from its folder.
 *
 * <p>Geometry: x runs along the row direction (ImageOrientationPatient[0..2]) with spacing
 * PixelSpacing[1], y along the column direction with spacing PixelSpacing[0], z along the slice
 * normal (row x column) in increasing projected position; the z spacing is measured from the
 * positions (never SliceThickness). Refused with a {@link DicomFormatException}: mixed orientations,
 * pixel sizes or image sizes, duplicate positions, non-uniform spacing beyond
 * {@link Builder#spacingTolerance} (a missing slice), slices drifting in-plane (gantry tilt, never
 * resampled here), non-CT modalities (unless {@link Builder#allowNonCt}), and sizes beyond the heap.
 * Slices decode in parallel ({@link Builder#threads}).
 *
 * <p>Immutable and thread-safe.
 */
public final class DicomSeriesReader {
    private static final Logger LOG = LoggerFactory.getLogger(DicomSeriesReader.class);
    /** Bytes read of each file to parse its header while grouping. */
    static final int HEADER_PREFIX = 1 << 16;
    /** Folder depth searched below the given folder. */
    static final int MAX_DEPTH = 8;

    private final String seriesUid;
    private final SeriesSelection selection;
    private final double spacingTolerance;
    private final int threads;
    private final boolean allowNonCt;
    private final Float paddingHu;
    private final ProgressListener progress;
    private final long codecTimeoutMillis;

    private DicomSeriesReader(Builder b) {
        this.codecTimeoutMillis = b.codecTimeout.toMillis();
        this.seriesUid = b.seriesUid;
        this.selection = b.selection;
        this.spacingTolerance = b.spacingTolerance;
        this.threads = b.threads;
        this.allowNonCt = b.allowNonCt;
        this.paddingHu = b.paddingHu;
        this.progress = b.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * True when {@code path} is a folder, or a file that starts like DICOM (Part 10 magic, or a bare
     * implicit VR data set); false for missing files and other formats.
     */
    public static boolean isDicom(Path path) {
        if (path == null) {
            return false;
        }
        if (Files.isDirectory(path)) {
            return true;
        }
        if (!Files.isRegularFile(path)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] b = in.readNBytes(132);
            return DicomParser.looksLikeDicom(b, b.length);
        } catch (IOException e) {
            return false;
        }
    }

    /** The image series under {@code path} (a folder, or the folder of a file), largest first. */
    public List<DicomSeries> scan(Path path) {
        Path folder = folderOf(path);
        return listSeries(scanFolder(folder));
    }

    /** Reads the series at {@code path} (see the class comment) as HU. */
    public Volume read(Path path) {
        return readSeries(path).volume();
    }

    /** Reads the series at {@code path} with the series it chose and notes on what it did. */
    public DicomVolume readSeries(Path path) {
        Path folder = folderOf(path);
        Scan scan = scanFolder(folder);
        List<String> notes = new ArrayList<>(scan.notes);
        String uid = seriesUid;
        if (!Files.isDirectory(path)) {
            DicomSlice own = scan.byFile.get(path.toAbsolutePath().normalize());
            if (own == null) {
                throw new DicomFormatException(path, "is not a DICOM image (no pixel data, or a localizer)");
            }
            if (uid != null && !uid.equals(own.seriesUid())) {
                throw new DicomFormatException(path, "belongs to series " + own.seriesUid() + ", not to the series "
                        + uid + " that was asked for");
            }
            uid = own.seriesUid();
        }
        List<DicomSlice> slices = choose(folder, scan, uid);
        DicomSeries series = describe(slices);
        if (!"CT".equals(series.modality())) {
            String what = "series " + series.summary() + " is not CT (Modality "
                    + (series.modality() == null ? "absent" : series.modality()) + ")";
            if (!allowNonCt) {
                throw new DicomFormatException(folder, what + "; HU are only defined for CT (API: allowNonCt(true))");
            }
            LOG.warn("{}: {}; read anyway", folder, what);
            notes.add(what + "; read anyway");
        }
        SeriesGeometry geometry = SeriesGeometry.of(folder, slices, spacingTolerance);
        Volume volume = decode(folder, geometry);
        if (paddingHu != null && slices.get(0).format().padding() != null) {
            notes.add("PixelPaddingValue " + slices.get(0).format().padding() + " replaced by " + paddingHu + " HU");
        }
        return new DicomVolume(volume, series, notes);
    }

    private static Path folderOf(Path path) {
        if (path == null) {
            throw new InvalidInputException("DICOM path is null");
        }
        if (Files.isDirectory(path)) {
            return path;
        }
        if (!Files.exists(path)) {
            throw new DicomFormatException(path, "file or folder does not exist");
        }
        Path parent = path.toAbsolutePath().getParent();
        return parent == null ? path : parent;
    }

    /** Slices grouped by series, plus what was skipped. */
    private static final class Scan {
        final Map<String, List<DicomSlice>> series = new LinkedHashMap<>();
        final Map<Path, DicomSlice> byFile = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
    }

    private Scan scanFolder(Path folder) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder, MAX_DEPTH)) {
            files = walk.filter(Files::isRegularFile).filter(p -> {
                String name = String.valueOf(p.getFileName());
                return !name.startsWith(".") && !name.equalsIgnoreCase("DICOMDIR");
            }).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DicomFormatException(folder, "cannot list the folder: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new DicomFormatException(folder, "folder holds no files");
        }
        progress.started("dicom scan", files.size());
        AtomicInteger done = new AtomicInteger();
        List<DicomSlice> found = parallel(files.size(), i -> {
            DicomSlice s = header(files.get(i));
            progress.progressed("dicom scan", done.incrementAndGet(), files.size(), "");
            return s;
        });
        progress.finished("dicom scan", "");
        Scan scan = new Scan();
        int notDicom = 0;
        int noPixels = 0;
        int localizers = 0;
        for (int i = 0; i < files.size(); i++) {
            DicomSlice s = found.get(i);
            if (s == null) {
                notDicom++;
            } else if (s == NO_PIXELS) {
                noPixels++;
            } else if (s.localizer()) {
                localizers++;
            } else {
                scan.series.computeIfAbsent(s.seriesUid(), k -> new ArrayList<>()).add(s);
                scan.byFile.put(s.file().toAbsolutePath().normalize(), s);
            }
        }
        if (notDicom > 0) {
            scan.notes.add(notDicom + " non-DICOM file(s) skipped");
        }
        if (noPixels > 0) {
            scan.notes.add(noPixels + " DICOM object(s) without pixel data skipped");
        }
        if (localizers > 0) {
            scan.notes.add(localizers + " localizer image(s) left out");
        }
        for (String n : scan.notes) {
            LOG.info("{}: {}", folder, n);
        }
        if (scan.series.isEmpty()) {
            throw new DicomFormatException(folder, "holds no DICOM image (" + files.size() + " file(s): "
                    + String.join(", ", scan.notes) + ")");
        }
        return scan;
    }

    private static final DicomSlice NO_PIXELS = new DicomSlice(Path.of("."), "", null, -1, null, null, 0,
            new double[3], new double[6], new double[2], 0, 0, null, null);

    /** The header of one file; null when not DICOM at all, NO_PIXELS for objects without images. */
    private static DicomSlice header(Path file) {
        try {
            long size = Files.size(file);
            byte[] prefix;
            try (InputStream in = Files.newInputStream(file)) {
                prefix = in.readNBytes((int) Math.min(size, HEADER_PREFIX));
            }
            if (!DicomParser.looksLikeDicom(prefix, prefix.length)) {
                return null;
            }
            DicomDataSet ds;
            try {
                ds = DicomParser.parseHeader(file, prefix);
            } catch (DicomFormatException e) {
                if (prefix.length >= size) {
                    throw e;
                }
                ds = DicomParser.parseHeader(file, readAll(file));
            }
            return ds.isImage() ? DicomSlice.of(ds) : NO_PIXELS;
        } catch (NoSuchFileException e) {
            throw new DicomFormatException(file, "file disappeared while reading the series", e);
        } catch (IOException e) {
            throw new DicomFormatException(file, "cannot read: " + e, e);
        }
    }

    private static byte[] readAll(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 64) {
            throw new DicomFormatException(file, "file of " + size + " bytes is beyond what this reader holds (2 GiB)");
        }
        return Files.readAllBytes(file);
    }

    private List<DicomSlice> choose(Path folder, Scan scan, String uid) {
        if (uid != null) {
            List<DicomSlice> s = scan.series.get(uid);
            if (s == null) {
                throw new DicomFormatException(folder, "holds no series " + uid + "; series present: "
                        + String.join("; ", scan.series.values().stream().map(l -> describe(l).summary()).toList()));
            }
            return s;
        }
        if (scan.series.size() == 1) {
            return scan.series.values().iterator().next();
        }
        List<DicomSeries> all = listSeries(scan);
        if (selection == SeriesSelection.LARGEST_AXIAL_CT) {
            DicomSeries best = all.stream().filter(DicomSeries::axialCt)
                    .max(Comparator.comparingInt(DicomSeries::sliceCount)
                            .thenComparing(Comparator.comparingInt(DicomSeries::seriesNumber).reversed())
                            .thenComparing(DicomSeries::seriesInstanceUid, Comparator.reverseOrder()))
                    .orElseThrow(() -> new DicomFormatException(folder, "holds no axial CT series among: "
                            + String.join("; ", all.stream().map(DicomSeries::summary).toList())));
            LOG.info("{}: chose {} (largest axial CT of {} series)", folder, best.summary(), all.size());
            scan.notes.add("chose the largest axial CT series of " + all.size());
            return scan.series.get(best.seriesInstanceUid());
        }
        throw new MultipleSeriesException(folder, all);
    }

    private static List<DicomSeries> listSeries(Scan scan) {
        List<DicomSeries> out = new ArrayList<>();
        for (List<DicomSlice> slices : scan.series.values()) {
            out.add(describe(slices));
        }
        out.sort(Comparator.comparingInt(DicomSeries::sliceCount).reversed()
                .thenComparing(DicomSeries::seriesInstanceUid));
        return out;
    }

    private static DicomSeries describe(List<DicomSlice> slices) {
        DicomSlice first = slices.get(0);
        String orientation = orientation(first.normal());
        for (DicomSlice s : slices) {
            if (!orientation(s.normal()).equals(orientation)) {
                orientation = "MIXED";
                break;
            }
        }
        return new DicomSeries(first.seriesUid(), first.seriesNumber(), first.seriesDescription(), first.modality(),
                slices.size(), orientation, first.format().columns(), first.format().rows(), first.syntax(),
                first.file());
    }

    /** AXIAL, CORONAL, SAGITTAL, or OBLIQUE when no axis is within about 25 degrees of the normal. */
    static String orientation(double[] n) {
        double ax = Math.abs(n[0]);
        double ay = Math.abs(n[1]);
        double az = Math.abs(n[2]);
        double max = Math.max(ax, Math.max(ay, az));
        double norm = Math.sqrt(ax * ax + ay * ay + az * az);
        if (!(norm > 0) || max / norm < 0.9) {
            return "OBLIQUE";
        }
        return max == az ? "AXIAL" : max == ay ? "CORONAL" : "SAGITTAL";
    }

    private Volume decode(Path folder, SeriesGeometry sg) {
        ImageGeometry g = sg.geometry();
        long voxels = (long) g.nx() * g.ny() * g.nz();
        long bytes = voxels * Float.BYTES;
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max) {
            throw new DicomFormatException(folder, "series of " + g.nx() + "x" + g.ny() + "x" + g.nz()
                    + " voxels needs " + (bytes >> 20) + " MiB as float, more than the JVM's " + (max >> 20)
                    + " MiB heap");
        }
        float[] voxelsOut = new float[(int) voxels];
        int plane = g.nx() * g.ny();
        List<DicomSlice> slices = sg.slices();
        progress.started("dicom decode", slices.size());
        AtomicInteger done = new AtomicInteger();
        parallel(slices.size(), k -> {
            DicomSlice s = slices.get(k);
            DicomDataSet ds;
            try {
                ds = DicomParser.parse(s.file(), readAll(s.file()));
            } catch (IOException e) {
                throw new DicomFormatException(s.file(), "cannot read: " + e, e);
            }
            PixelFormat f = PixelFormat.of(ds);
            if (!f.equals(s.format())) {
                throw new DicomFormatException(s.file(), "changed while the series was read");
            }
            PixelDecoder.decode(ds, f, voxelsOut, k * plane, paddingHu, codecTimeoutMillis);
            progress.progressed("dicom decode", done.incrementAndGet(), slices.size(), "");
            return null;
        });
        progress.finished("dicom decode", slices.size() + " slices");
        return Volume.wrap(g, voxelsOut);
    }

    /** A task over an index that may throw the reader's exceptions. */
    private interface IndexTask<T> {
        T run(int index) throws IOException;
    }

    private <T> List<T> parallel(int n, IndexTask<T> task) {
        int workers = Math.max(1, Math.min(threads, n));
        List<T> results = new ArrayList<>(java.util.Collections.nCopies(n, null));
        if (workers == 1) {
            for (int i = 0; i < n; i++) {
                results.set(i, call(task, i));
            }
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "dicom-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicInteger next = new AtomicInteger();
            List<Callable<Void>> jobs = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                jobs.add(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        T r = call(task, i);
                        synchronized (results) {
                            results.set(i, r);
                        }
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(jobs)) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    next.set(n);
                    Throwable c = e.getCause();
                    if (c instanceof OsteoException o) {
                        throw o;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException("DICOM reading failed unexpectedly: " + c, c);
                }
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OsteoException("interrupted while reading DICOM", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T call(IndexTask<T> task, int i) {
        try {
            return task.run(i);
        } catch (IOException e) {
            throw new OsteoException("cannot read DICOM: " + e, e);
        }
    }

    /** Configuration of a {@link DicomSeriesReader}. */
    public static final class Builder {
        private String seriesUid;
        private SeriesSelection selection = SeriesSelection.SINGLE;
        private double spacingTolerance = 0.01;
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean allowNonCt;
        private Float paddingHu;
        private ProgressListener progress = ProgressListener.NONE;
        private java.time.Duration codecTimeout = java.time.Duration.ofSeconds(60);

        private Builder() {
        }

        /**
         * Longest time one compressed slice (JPEG, JPEG 2000) may take to decode before it is
         * reported as corrupt (default 60 s; the JPEG 2000 library can loop without end on damaged
         * data).
         */
        public Builder codecTimeout(java.time.Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new InvalidInputException("codec timeout " + timeout + " must be positive");
            }
            this.codecTimeout = timeout;
            return this;
        }

        /** Reads the series with this SeriesInstanceUID (null: choose by {@link #selection}). */
        public Builder seriesUid(String uid) {
            this.seriesUid = uid == null || uid.isBlank() ? null : uid.trim();
            return this;
        }

        /** How to choose among several series when no UID is given; default {@link SeriesSelection#SINGLE}. */
        public Builder selection(SeriesSelection selection) {
            if (selection == null) {
                throw new InvalidInputException("series selection is null");
            }
            this.selection = selection;
            return this;
        }

        /**
         * Largest relative deviation of a slice step from the mean step (default 0.01 = 1 %, plus
         * 0.001 mm for rounded positions); beyond it (a missing slice) the series is refused.
         */
        public Builder spacingTolerance(double relative) {
            if (!(relative >= 0 && relative < 0.5)) {
                throw new InvalidInputException("slice spacing tolerance " + relative + " must be in [0, 0.5)");
            }
            this.spacingTolerance = relative;
            return this;
        }

        /** Threads that parse and decode files (default: the available processors). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new InvalidInputException("DICOM reader threads " + threads + " must be at least 1");
            }
            this.threads = threads;
            return this;
        }

        /** Accepts series whose Modality is not CT (logged); default false: they are refused. */
        public Builder allowNonCt(boolean allow) {
            this.allowNonCt = allow;
            return this;
        }

        /**
         * HU given to voxels equal to PixelPaddingValue (outside the scanned field of view); default
         * null: they keep their rescaled stored value, as ITK and dcm2niix do.
         */
        public Builder paddingHu(Float hu) {
            if (hu != null && !Float.isFinite(hu)) {
                throw new InvalidInputException("padding HU " + hu + " is not finite");
            }
            this.paddingHu = hu;
            return this;
        }

        /** Receives "dicom scan" and "dicom decode" progress (files / slices). */
        public Builder progress(ProgressListener progress) {
            this.progress = progress == null ? ProgressListener.NONE : progress;
            return this;
        }

        public DicomSeriesReader build() {
            return new DicomSeriesReader(this);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DicomSeriesReader[series %s, %s, tolerance %.3f, %d threads]",
                seriesUid, selection, spacingTolerance, threads);
    }
}
